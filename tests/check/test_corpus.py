"""Each broken file of the corpus is caught, with exactly the findings its one defect causes."""

from __future__ import annotations

from shipyard.check import check_files


def test_every_defect_is_caught_and_nothing_else(corpus):
    wrong = []
    for case in corpus:
        report = check_files([case.path, *case.alongside])[0]
        codes = {f.code for f in report.findings}
        if codes != case.expected:
            wrong.append(f"{case.name}: expected {sorted(case.expected)}, got {[str(f) for f in report.findings]}")
    assert not wrong, "\n".join(wrong)


def test_every_broken_file_fails_the_check(corpus):
    warnings_only = {"sdist-no-pyproject", "wheel-bytecode", "toplevel-clash"}
    for case in corpus:
        report = check_files([case.path, *case.alongside])[0]
        assert report.passed(strict=True) is False, case.name
        if not case.expected <= warnings_only:
            assert report.errors, case.name


def test_the_good_files_pass_strictly(good):
    reports = check_files(list(good))
    assert [r.findings for r in reports] == [[], []]


def test_rebuild_can_be_skipped(corpus):
    case = next(c for c in corpus if c.expected == {"rebuild-files"})
    assert check_files([case.path, *case.alongside], rebuild=False)[0].findings == []


def test_rst_error_names_its_line(corpus):
    case = next(c for c in corpus if c.name == "wheel: README is broken RST")
    finding = check_files([case.path])[0].findings[0]
    assert 'line 6: Unknown directive type "bogus-directive".' in finding.message
