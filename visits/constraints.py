"""A PostgreSQL exclusion constraint that the other databases silently skip.

The model state is the same everywhere, so migrations stay identical on SQLite
and PostgreSQL; only PostgreSQL creates (and validates with) the constraint.
On SQLite the scheduling service checks the same rule inside its IMMEDIATE
write transaction.
"""

from django.contrib.postgres.constraints import ExclusionConstraint


class PostgresExclusionConstraint(ExclusionConstraint):
    @staticmethod
    def _is_postgres(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        # Model validation of booking rows is the scheduling service's job,
        # which names the clashing visits; the database is the last word.
        return None
