"""The Algorithm Framework side of ``QCAlgorithm``: alpha → portfolio construction → risk → execution."""
from __future__ import annotations


class FrameworkAlgorithm:
    """Mixed into ``QCAlgorithm``; the framework methods are added with the framework models."""
