"""Behaviour is unchanged unless the golden baseline was deliberately updated (`make golden`)."""

import pytest
from cases import CASES, as_text, case_tables, file_name


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_match_the_stored_golden_baseline(case):
    produced = case_tables(case)
    for table, frame in produced.items():
        stored = file_name(case, table).read_text()
        assert as_text(frame) == stored, (
            f"{case} {table} differs from tests/golden/stored; if the change is meant to alter "
            "behaviour, run `make golden`, read what it prints and commit the new tables")
