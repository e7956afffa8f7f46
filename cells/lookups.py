"""`field__any=values`: `field IN (...)` sent as one array parameter on PostgreSQL.

An import looks a chunk of a thousand codes or keys up at a time. As `__in`, each value is a
placeholder of its own, prepared one by one by Django, and the database driver scans and
converts a query of a thousand placeholders on every call, which costs more than the query
itself (about 45 ms against 15 ms for a thousand codes). `= ANY(%s::type[])` passes the chunk
as one array literal, written here in one pass. On SQLite it is `IN`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any"

    def get_prep_lookup(self):
        if not self.rhs_is_direct_value() or not self.prepare_rhs:
            return super().get_prep_lookup()
        # Plain values only (no expressions): each prepared by the field, in one pass.
        prepare = self.lhs.output_field.get_prep_value
        return [prepare(value) for value in self.rhs if value is not None]

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)  # a subquery stays one
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        db_type = field.db_type(connection).split("(")[0]  # varchar(64) → varchar: no truncation
        values = (field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs)
        return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, _array_literal(values))


def _array_literal(values) -> str:
    """`{"a","b \\"c\\""}`: PostgreSQL's text form of an array, every element quoted."""
    return "{" + ",".join('"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # organization_id__any=[...]: the keys, not model objects
