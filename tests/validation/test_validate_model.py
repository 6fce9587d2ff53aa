"""`run.py validate-model` regenerates the validation figures and tables (smoke size)."""

import pandas as pd

from sim.cli import main


def test_validate_model_writes_figures_and_tables(tmp_path, capsys):
    out = tmp_path / "validation"
    assert main(["validate-model", "--quick", "--runs", "1", "--out", str(out)]) == 0
    for name in ("bass", "cascade", "erlang"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000
        assert len(pd.read_csv(out / "tables" / f"{name}.csv")) > 0
        assert (out / "tables" / f"{name}.md").read_text().startswith("| ")
    summary = (out / "summary.md").read_text()
    assert summary.count("![") == 3 and "Erlang C" in summary
    assert not list(tmp_path.glob(".*partial"))
    assert "validation figures and tables in" in capsys.readouterr().out


def test_validate_model_refuses_an_existing_folder(tmp_path, capsys):
    assert main(["validate-model", "--out", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
