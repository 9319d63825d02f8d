"""Running a tracked cell's body as IPython would, and failing soft around it: the pieces of
`%%track` that touch IPython's execution machinery or the user's view of errors."""

from __future__ import annotations

import ast
import warnings
from typing import TYPE_CHECKING, Any

from ..fluent import session
from ..fluent.runs import end as end_specific
from ..tracking.failures import cause_of
from .capture import TrackingWarning

if TYPE_CHECKING:
    from ..tracking.run import Run


def failure_message(step: str, exc: BaseException) -> str:
    """What failed, what it means for the cell, and how to fix it."""
    cause = cause_of(exc, store_path())
    if cause.key == "data":  # the user's value, not labtrack: the error says what to do instead
        return f"labtrack did not {step} (the cell ran as usual): {exc}"
    result = (
        "this cell ran without tracking" if step == "start a run" else "the run may be incomplete"
    )
    return (
        f"labtrack could not {step} ({type(exc).__name__}: {exc}); {result}. To fix: {cause.fix}."
    )


def store_path() -> str:
    """Where the store is, for messages (never raises)."""
    try:
        return str(session.store_path())
    except Exception:
        return "the store"


def user_warning(message: str) -> None:
    """Warn about a mistake found after the cell ran (a --metrics name that is not a variable)."""
    warn(f"labtrack: {message}")


def run_body(shell: Any, body: str, header: str, source: str | None = None) -> Any:
    """Run a tracked cell's body as IPython runs a cell: in the user's namespace, with IPython
    syntax and AST transformers, returning the last expression's value (for `Out[n]`).
    `source` is the body already through `shell.transform_cell`. Line numbers in tracebacks
    match the cell (the body starts on line 2, under the magic)."""
    __tracebackhide__ = True
    source = shell.transform_cell(body) if source is None else source
    name = shell.compile.cache(
        f"{header}\n{source}", execution_count(shell), raw_code=f"{header}\n{body}"
    )
    tree = shell.transform_ast(shell.compile.ast_parse("\n" + source, filename=name))
    nodes, last = list(tree.body), None
    mode = getattr(shell, "ast_node_interactivity", "last_expr")
    if nodes and mode != "none":
        if isinstance(nodes[-1], ast.Expr):
            last = nodes.pop().value
        elif mode == "last_expr_or_assign" and isinstance(nodes[-1], (ast.Assign, ast.AnnAssign)):
            target = nodes[-1].targets[0] if isinstance(nodes[-1], ast.Assign) else nodes[-1].target
            if isinstance(target, ast.Name):
                last = ast.copy_location(ast.Name(target.id, ast.Load()), nodes[-1])
    if nodes:
        exec(
            shell.compile(ast.Module(nodes, []), name, "exec"), shell.user_global_ns, shell.user_ns
        )
    if last is None:
        return None
    return eval(
        shell.compile(ast.Expression(last), name, "eval"), shell.user_global_ns, shell.user_ns
    )


class UntrackedRun:
    """Stands in for the run of a cell whose tracking failed, so its `lt.log(...)` still works."""

    number = None
    name = None
    status = "untracked"
    active = True

    def append_points(self, metrics: Any, step: Any) -> None:
        pass

    def log(self, *args: Any, **kwargs: Any) -> None:
        pass

    log_metrics = log_params = set_tags = log

    def log_artifact(self, obj: Any, name: str | None = None, **kwargs: Any) -> str:
        return name or ""

    def log_dataset(self, df: Any, name: str, context: str | None = None) -> str:
        return ""

    def latest(self) -> dict[str, tuple[int, float]]:
        return {}

    def end(self, *args: Any, **kwargs: Any) -> None:
        pass


def end_run(run: Run, status: str, exc: BaseException | None) -> None:
    """End `run`, storing the traceback from the user's code down (without labtrack's frames)."""
    if exc is None:
        end_specific(run, status, None)
        return
    original = exc.__traceback__
    tb = original
    while (
        tb is not None
        and tb.tb_next is not None
        and tb.tb_frame.f_globals.get("__name__", "").startswith("labtrack")
    ):
        tb = tb.tb_next
    exc.__traceback__ = tb
    try:
        end_specific(run, status, exc)
    finally:
        exc.__traceback__ = original


def remove_from_stack(item: Any) -> None:
    session.leave(item)


def execution_count(shell: Any) -> int | None:
    """The execution count of the cell now running (IPython counts it up before running it)."""
    result = getattr(getattr(shell, "displayhook", None), "exec_result", None)
    count = getattr(result, "execution_count", None)
    return count if count is not None else getattr(shell, "execution_count", None)


def warn(message: str) -> None:
    """Show a labtrack warning (not attributed to a line of labtrack's code)."""
    warnings.warn_explicit(message, TrackingWarning, "labtrack", 0, module="labtrack")
