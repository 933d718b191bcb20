"""How and where archiver's work runs: worker processes, the cluster, Ctrl-C, and the patches to
libraries that are in force while it runs."""
