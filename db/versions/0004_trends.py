"""trends: talk time per call, and the per-call facts the trend queries add up

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("talk_ms", sa.Integer(), server_default="0", nullable=False))
    _fill_talk_time()
    op.create_table(
        "call_facts",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("week", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("talk_ms", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ending", sa.String(length=20), nullable=False),
        sa.Column("agent_interruption", sa.Integer(), nullable=False),
        sa.Column("agent_rudeness", sa.Integer(), nullable=False),
        sa.Column("banned_phrase", sa.Integer(), nullable=False),
        sa.Column("customer_abuse", sa.Integer(), nullable=False),
        sa.Column("hangup_after_interruption", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_call_facts_agent_id_agents"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_facts_call_id_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_facts")),
    )
    with op.batch_alter_table("call_facts", schema=None) as batch_op:
        batch_op.create_index("ix_call_facts_agent_month", ["agent_id", "month"], unique=False)
        batch_op.create_index("ix_call_facts_agent_week", ["agent_id", "week"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_facts_day"), ["day"], unique=False)
    for table, column, kind in (("call_fact_kinds", "kind", "kinds"), ("call_fact_findings", "rule", "findings")):
        extra = [sa.Column("actor", sa.String(length=20), nullable=False)] if kind == "kinds" else []
        op.create_table(
            table,
            sa.Column("call_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Text(), nullable=False),
            *extra,
            sa.Column("n", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["call_id"], ["call_facts.call_id"], name=op.f(f"fk_{table}_call_id_call_facts"), ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("call_id", column, *(["actor"] if extra else []), name=op.f(f"pk_{table}")),
        )
    with op.batch_alter_table("call_fact_kinds", schema=None) as batch_op:
        batch_op.create_index("ix_call_fact_kinds_kind", ["kind", "actor"], unique=False)
    with op.batch_alter_table("call_fact_findings", schema=None) as batch_op:
        batch_op.create_index("ix_call_fact_findings_rule", ["rule"], unique=False)


def _fill_talk_time() -> None:
    """Talk time of the calls already stored: the union of their utterances, or the recording without any.

    The facts tables start empty; the trends fill them by checking each call again (services/trends.py).
    """
    bind = op.get_bind()
    calls = sa.table("calls", sa.column("id", sa.Integer), sa.column("duration_ms"), sa.column("talk_ms"))
    spans = sa.table("utterances", sa.column("call_id"), sa.column("start_ms"), sa.column("end_ms"))
    bind.execute(sa.update(calls).values(talk_ms=calls.c.duration_ms))
    rows = bind.execute(
        sa.select(spans.c.call_id, spans.c.start_ms, spans.c.end_ms).order_by(spans.c.call_id, spans.c.start_ms)
    )
    for call_id, group in groupby(rows, key=lambda row: row[0]):
        total, reach = 0, 0
        for _, start, end in group:
            if end > reach:
                total += end - max(start, reach)
                reach = end
        bind.execute(sa.update(calls).where(calls.c.id == call_id).values(talk_ms=total))


def downgrade() -> None:
    op.drop_table("call_fact_findings")
    op.drop_table("call_fact_kinds")
    with op.batch_alter_table("call_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_facts_day"))
        batch_op.drop_index("ix_call_facts_agent_week")
        batch_op.drop_index("ix_call_facts_agent_month")
    op.drop_table("call_facts")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("talk_ms")
