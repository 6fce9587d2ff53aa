"""How a bad input file must be refused (docs/design.md Decision 5), shared by the error tests."""

from pathlib import Path

from sim.cli import main


def assert_file_refused(command: str, text: str, expected: list[str], repo: Path,
                        tmp_path: Path, capsys) -> None:
    """`run.py COMMAND FILE` on `text` exits 2 with one message naming the file and each of
    `expected`, no traceback, and writes no output folder."""
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("{repo}", str(repo)))
    out = tmp_path / "out"
    assert main([command, str(path), "--out", str(out), "--no-progress"]) == 2
    message = capsys.readouterr().err
    assert message.startswith(f"error: {path}"), message
    for part in expected:
        assert part in message, (part, message)
    assert "Traceback" not in message
    assert not out.exists()
