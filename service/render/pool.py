"""Worker processes for PDF renders: every render gets a time bound, and chunks of one document run in parallel."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..errors import RenderTimeout
from . import worker

if TYPE_CHECKING:
    from .pdf import StampedPart

    Part: TypeAlias = str | StampedPart  # under TYPE_CHECKING only: importing pdf starts fontconfig

weasyprint_log = logging.getLogger("weasyprint")
T = TypeVar("T")
# Starting a worker (spawn, import WeasyPrint, load every CJK face) takes seconds, and half a minute on a busy
# machine; it is waited for apart from the render's own time bound, or a cold pool would time out and be
# replaced again and again.
START_TIMEOUT = 600.0


class RenderPool:
    """A process pool whose stuck renders are stopped by replacing the pool (WeasyPrint cannot be interrupted)."""

    def __init__(self, workers: int, font_dir: str = "") -> None:
        self.workers = max(1, workers)
        self.font_dir = font_dir
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._started: list[Future[int]] = []

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the parent may hold threads and open sockets
                ctx = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=ctx, initializer=worker.init, initargs=(self.font_dir,)
                )
                # start every worker now: ProcessPoolExecutor otherwise spawns them one task at a time
                self._started = [self._executor.submit(int) for _ in range(self.workers)]
            executor, started = self._executor, self._started
        try:
            for future in started:
                future.result(timeout=START_TIMEOUT)
        except FutureTimeout:
            self._reset(executor)
            raise RenderTimeout(
                zh=f"PDF 生成进程{START_TIMEOUT:g}秒内未能启动",
                en=f"the PDF workers did not start in {START_TIMEOUT:g} s",
            ) from None
        except BrokenProcessPool:
            pass  # render_each sees the broken pool and retries on a fresh one
        return executor

    def _reset(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = None
        for proc in list(getattr(broken, "_processes", {}).values()):
            proc.kill()
        broken.shutdown(wait=False, cancel_futures=True)

    def render(
        self, html_parts: Iterable[Part], timeout: float, stylesheets: tuple[str, ...] = ("print.css",)
    ) -> bytes:
        """Render chunks in parallel and join them into one PDF."""
        from . import pdf

        return pdf.join_pdfs(self.render_each(html_parts, timeout, stylesheets))

    def render_each(
        self, html_parts: Iterable[Part], timeout: float, stylesheets: tuple[str, ...] = ("print.css",)
    ) -> list[bytes]:
        """Render HTML documents (or stamped sheets) in parallel, one PDF each; RenderTimeout past ``timeout`` s.

        ``html_parts`` may be a generator: each part goes to a worker as soon as it is made, so writing the
        HTML of later chunks overlaps the rendering of earlier ones.
        """
        from . import pdf  # imported here so that importing the pool does not start fontconfig

        made: list[Part] = []
        source = iter(html_parts)

        def parts() -> Iterator[Part]:
            yield from list(made)  # a retry resubmits what was already made
            for part in source:
                made.append(part)
                yield part

        def run(executor: ProcessPoolExecutor) -> list[tuple[bytes, list[str]]]:
            futures = [executor.submit(pdf.render_part, part, stylesheets) for part in parts()]
            return [f.result(timeout=timeout) for f in futures]

        results = self._run(run, timeout)
        for _, warnings in results:
            for message in warnings:  # re-logged here, so the parent (and the tests) see them
                weasyprint_log.warning("%s", message)
        return [data for data, _ in results]

    def call(self, func: Callable[..., T], *args: Any, timeout: float) -> T:
        """Run ``func(*args)`` (a module-level function) in a worker; RenderTimeout past ``timeout`` seconds.

        Used for renders whose Jinja part may run long (custom templates): a worker can be stopped, a thread
        of the service cannot.
        """
        return self._run(lambda executor: executor.submit(func, *args).result(timeout=timeout), timeout)

    def _run(self, run: Callable[[ProcessPoolExecutor], T], timeout: float) -> T:
        """``run`` on the pool; RenderTimeout (and a fresh pool) past ``timeout`` seconds, and one more try
        when another request's timeout replaced the pool under it."""
        for attempt in (1, 2):
            executor = self._pool()
            try:
                return run(executor)
            except FutureTimeout:
                self._reset(executor)
                raise RenderTimeout(
                    zh=f"生成超过{timeout:g}秒，已中止",
                    en=f"the render took longer than {timeout:g} s and was stopped",
                ) from None
            except BrokenProcessPool:
                self._reset(executor)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the workers."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
