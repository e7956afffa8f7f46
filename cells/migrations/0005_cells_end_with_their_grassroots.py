from django.db import migrations
from django.db.models import Q


def end_cells_with_their_grassroots(apps, schema_editor):
    """Cells of a dissolved grassroots organization that were left open end on its day."""
    from cells.models.tree import subtree_end

    Organization = apps.get_model("cells", "Organization")
    ended = Organization.objects.filter(
        Q(kind__in=["grassroots_committee", "grassroots_cell", "section_committee"]), dissolved__isnull=False
    ).order_by("depth")
    for organization in ended.only("path", "dissolved"):
        subtree_end(Organization, path=organization.path, dissolved=organization.dissolved)


class Migration(migrations.Migration):
    dependencies = [("cells", "0004_organization_children_order")]

    operations = [migrations.RunPython(end_cells_with_their_grassroots, migrations.RunPython.noop)]
