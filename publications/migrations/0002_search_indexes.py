from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from publications.selectors import SEARCH_CONFIGS, search_vector

# Full-text search indexes, one per language, on exactly the expression the search
# uses (publications.selectors.search_vector). PostgreSQL only: elsewhere the
# library falls back to a plain substring search.


def index_name(language: str) -> str:
    return f"publication_search_{language}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Publication = apps.get_model("publications", "Publication")
    for language in SEARCH_CONFIGS:
        schema_editor.add_index(Publication, GinIndex(search_vector(language), name=index_name(language)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Publication = apps.get_model("publications", "Publication")
    for language in SEARCH_CONFIGS:
        schema_editor.remove_index(Publication, GinIndex(search_vector(language), name=index_name(language)))


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
