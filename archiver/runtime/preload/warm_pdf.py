"""Run by the fork server when an export will write a PDF (exporters/pdf/__init__.py preloads it):
WeasyPrint's first rendering in a process costs about 2.5 s of CPU (its import, then the lazy
imports, fontconfig and Pango's font map that the first layout loads) and every later one none
of it. Done once here, before any worker is forked, each render worker starts warm instead of
paying it again. The process is still single-threaded afterwards, so forking it is safe."""

from ...exporters.pdf.render import warm_up

warm_up()
