"""``python -m lean_local.synthetic``: same as ``lean-local data synthetic``."""
from lean_local.synthetic.cli import main

raise SystemExit(main())
