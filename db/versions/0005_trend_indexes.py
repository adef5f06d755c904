"""trend indexes: covering indexes for the trend queries over the call facts

The (agent, week) and (agent, month) indexes also hold every column the trend queries add up or filter on, so
SQLite reads the facts from the index alone, in group order; the (kind, actor) index of the kinds also holds their
call and count; the findings get a (call, rule, n) index the trend queries join through. Only indexes change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# What the trend queries read of a facts row besides its agent and period: what they add up, and the day a date
# range filters on (tables.py lists the same).
COVERED = [
    "reviewed",
    "talk_ms",
    "status",
    "ending",
    "agent_interruption",
    "agent_rudeness",
    "banned_phrase",
    "customer_abuse",
    "hangup_after_interruption",
    "day",
]


def upgrade() -> None:
    with op.batch_alter_table("call_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_call_facts_agent_week")
        batch_op.drop_index("ix_call_facts_agent_month")
        batch_op.create_index("ix_call_facts_agent_month", ["agent_id", "month", *COVERED], unique=False)
        batch_op.create_index("ix_call_facts_agent_week", ["agent_id", "week", *COVERED], unique=False)
    with op.batch_alter_table("call_fact_kinds", schema=None) as batch_op:
        batch_op.drop_index("ix_call_fact_kinds_kind")
        batch_op.create_index("ix_call_fact_kinds_kind", ["kind", "actor", "call_id", "n"], unique=False)
    with op.batch_alter_table("call_fact_findings", schema=None) as batch_op:
        batch_op.create_index("ix_call_fact_findings_call", ["call_id", "rule", "n"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("call_fact_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_call_fact_findings_call")
    with op.batch_alter_table("call_fact_kinds", schema=None) as batch_op:
        batch_op.drop_index("ix_call_fact_kinds_kind")
        batch_op.create_index("ix_call_fact_kinds_kind", ["kind", "actor"], unique=False)
    with op.batch_alter_table("call_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_call_facts_agent_week")
        batch_op.drop_index("ix_call_facts_agent_month")
        batch_op.create_index("ix_call_facts_agent_month", ["agent_id", "month"], unique=False)
        batch_op.create_index("ix_call_facts_agent_week", ["agent_id", "week"], unique=False)
