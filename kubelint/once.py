"""``once``: a property worked out on first read and then kept on the instance.

It is :func:`functools.cached_property` without the lock Python 3.11 takes on every first
read: objects are read by one thread, and a run makes tens of thousands of first reads
(every object's kind, apiVersion and namespace).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class once(Generic[T]):
    """Works like ``cached_property``: the value is stored in the instance's ``__dict__``
    under the property's name, so later reads never reach this descriptor."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | once[T]:
        if instance is None:
            return self
        value = self.function(instance)
        instance.__dict__[self.name] = value
        return value
