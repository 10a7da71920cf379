"""test_data_inventory_complete: docs/data-inventory.yaml classifies every column of every
table, and no response table stores an IP address or user agent."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table

from engage import privacy
from engage.extensions import db


@pytest.fixture(scope="module")
def inventory():
    return privacy.load_inventory()


def test_every_column_is_classified(app, inventory):
    problems = privacy.unclassified(db.metadata, inventory)
    assert not problems, (
        "Classify these columns in docs/data-inventory.yaml (stubs: "
        "`.venv/bin/engage security inventory`):\n"
        + "\n".join(problems)
        + "\n"
        + privacy.stubs(db.metadata, inventory)
    )


def test_inventory_lists_nothing_that_no_longer_exists(app, inventory):
    assert not privacy.stale(db.metadata, inventory)


def test_no_ip_address_or_user_agent_with_responses(app):
    assert not privacy.tracking_columns(db.metadata)
    response_columns = {
        c.name for t in privacy.RESPONSE_TABLES for c in db.metadata.tables[t].columns
    }
    assert response_columns  # the check looked at real tables


def test_the_checks_catch_a_new_unclassified_or_tracking_column(inventory):
    metadata = MetaData()
    Table(
        "response", metadata, Column("id", Integer, primary_key=True), Column("ip_address", String)
    )
    assert "response.ip_address: not in the inventory" in privacy.unclassified(metadata, inventory)
    assert privacy.tracking_columns(metadata) == ["response.ip_address"]


def test_free_text_and_contact_details_are_marked_personal(inventory):
    assert inventory["answer"]["text"]["personal"] is True
    assert inventory["contact_detail"]["email"]["personal"] is True
    assert "retention" in inventory["answer"]["text"]
