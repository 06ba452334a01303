"""Files in, objects out: decoding, YAML parsing with positions, Helm origins, discovery."""

from kubelint.loader.documents import LoadedFile, load_source

__all__ = ["LoadedFile", "load_source"]
