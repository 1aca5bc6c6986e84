"""Entry point of the frozen app: the ``aam-explorer`` CLI, opening the window by default.

Double-clicking the app passes no arguments: that means ``gui`` (the last workspace, or an
empty window). ``--bundle-self-test PNG`` is for packaging/check.sh: it imports every module
of the app (so a module PyInstaller missed fails here, not in front of a consultant) and draws
a pyqtgraph chart to PNG (the trends panel's stack: numpy, pyqtgraph, QtOpenGL), then exits.
"""

from __future__ import annotations

import sys

SELF_TEST_FLAG = "--bundle-self-test"


def self_test(png: str) -> int:
    import importlib
    import pkgutil

    import explorer

    names = sorted(info.name for info in pkgutil.walk_packages(explorer.__path__, "explorer."))
    for name in names:
        importlib.import_module(name)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    import pyqtgraph

    plot = pyqtgraph.PlotWidget(title="bundle self-test")
    plot.plot([1, 4, 2, 5, 3], pen=pyqtgraph.mkPen("#2f6fd6", width=3))
    plot.resize(400, 300)
    plot.show()
    app.processEvents()
    if not plot.grab().save(png, "PNG"):
        print(f"error: could not write {png}", file=sys.stderr)
        return 1
    print(f"imported {len(names)} modules; pyqtgraph {pyqtgraph.__version__} drew {png}")
    return 0


def run() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == [SELF_TEST_FLAG] and len(arguments) == 2:
        sys.exit(self_test(arguments[1]))
    from explorer.cli import main

    main(args=arguments or ["gui"], prog_name="aam-explorer")


if __name__ == "__main__":
    run()
