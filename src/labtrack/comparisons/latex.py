"""Export a `Comparison` as LaTeX booktabs tables, every user string escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .tables import Table, comparison_tables, summary_label

if TYPE_CHECKING:
    from .comparison import Comparison

__all__ = ["latex_escape", "to_latex"]

# Characters with a meaning in LaTeX, and the text-mode commands that print them.
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_TRANSLATION = str.maketrans(_LATEX_SPECIAL)


def latex_escape(text: str) -> str:
    """`text` as LaTeX prints it literally; line breaks become spaces.

    >>> latex_escape("50% of $x_1$")
    '50\\\\% of \\\\$x\\\\_1\\\\$'
    """
    return " ".join(text.translate(_TRANSLATION).splitlines())


def latex_cell(text: str | None) -> str:
    return "--" if text is None else latex_escape(text)


def latex_table(table: Table) -> str:
    """One `table` float: a caption and a booktabs `tabular`, label columns left, runs right."""
    spec = "".join("r" if table.right_aligned(i) else "l" for i in range(len(table.header)))
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{latex_escape(table.title)}}}",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(latex_cell(h) if h else "" for h in table.header) + r" \\",
        r"\midrule",
    ]
    for row, differs in zip(table.rows, table.differs, strict=True):
        cells = [latex_cell(c) if c != "" else "" for c in row]
        if differs:  # the labels of rows that differ between runs are in bold
            cells[: table.keys] = [rf"\textbf{{{c}}}" if c else c for c in cells[: table.keys]]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines)


def to_latex(cmp: Comparison, *, standalone: bool = False) -> str:
    """The tables as LaTeX (needs `\\usepackage{booktabs}`); `standalone=True` wraps them in a
    document that pdflatex compiles as it is."""
    tables = [t for t in comparison_tables(cmp) if t.rows]
    note = "% labtrack comparison; needs \\usepackage{booktabs}; labels in bold: rows that differ"
    if cmp.differences_only:
        note += "; differences only"
    if cmp.at_step is not None:
        note += f"; '{summary_label(cmp, 'at_step')}' rows hold the values at step {cmp.at_step}"
    body = "\n\n".join([note, *(latex_table(t) for t in tables)]) + "\n"
    if not standalone:
        return body
    return (
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{booktabs}\n\\usepackage[margin=1cm,landscape]{geometry}\n"
        "\\begin{document}\n" + body + "\\end{document}\n"
    )
