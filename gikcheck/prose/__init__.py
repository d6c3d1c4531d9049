"""Reading figures and what they count out of a report's running text."""

from .figures import Figure, ProseText, cn_to_number, extract_figures, prose_config

__all__ = ["Figure", "ProseText", "cn_to_number", "extract_figures", "prose_config"]
