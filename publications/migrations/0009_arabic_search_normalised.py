"""Arabic search folds spelling variants and broken plurals (publications.arabic_search)
and the stored Arabic vectors are rebuilt with it. PostgreSQL only: elsewhere the
library searches by substring and has no vectors."""

from django.db import migrations

from publications.arabic_search import CREATE_FUNCTION, DROP_FUNCTION, FUNCTION

WEIGHTED = (
    "setweight(to_tsvector('arabic', {f}(coalesce(title_ar, ''))), 'A')"
    " || setweight(to_tsvector('arabic', {f}(coalesce(summary_ar, ''))), 'B')"
).format(f=FUNCTION)
BODY = " || setweight(to_tsvector('arabic', {f}(coalesce(body_ar, ''))), 'C')".format(f=FUNCTION)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        f"UPDATE publications_publication SET search_ar = {WEIGHTED}{BODY}, rank_ar = {WEIGHTED}"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("publications", "0008_suppressed_addresses")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
