import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations
from django.db.models import Q

LANGUAGES = ["en", "fr", "es", "ru", "ar", "pt"]


def index(language: str) -> GinIndex:
    # Partial: only published publications are ever searched, and a count of
    # matches can then be answered without visiting the rows.
    return GinIndex(
        fields=[f"search_{language}"],
        name=f"publication_search_{language}",
        condition=Q(status="published"),
    )


def create(apps, schema_editor):
    # GIN indexes exist only on PostgreSQL; elsewhere the columns stay empty.
    if schema_editor.connection.vendor != "postgresql":
        return
    Publication = apps.get_model("publications", "Publication")
    for language in LANGUAGES:
        schema_editor.add_index(Publication, index(language))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Publication = apps.get_model("publications", "Publication")
    for language in LANGUAGES:
        schema_editor.remove_index(Publication, index(language))


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [
        *(
            migrations.AddField(
                model_name="publication",
                name=f"search_{language}",
                field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
            )
            for language in LANGUAGES
        ),
        migrations.RunPython(create, drop),
    ]
