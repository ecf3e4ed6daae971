"""The constructor machinery the four resources share: ``Resource(name, args, opts)`` with an args
class or a dict literal, or ``Resource(name, opts=..., **inputs)``; Python names translated to and
from the Pulumi property names (aws-native's camelCase); output-only properties declared."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi import dynamic

from userpools.pulumi.provider import CognitoProvider


def snake(name: str) -> str:
    return re.sub("([A-Z])", r"_\1", name).lower()


class CognitoArgs:
    """Base of the args classes: every input a keyword, None when not given."""

    _provider: ClassVar[type[CognitoProvider]]

    @classmethod
    def names(cls) -> dict[str, str]:
        """Python name -> Pulumi property name."""
        return {snake(wire): wire for wire in cls._provider.fields}

    def _store(self, values: dict[str, Any]) -> None:
        for name in self.names():
            setattr(self, name, values.get(name))

    def props(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.names()}


class CognitoResource(dynamic.Resource):
    _args: ClassVar[type[CognitoArgs]]
    _outputs: ClassVar[tuple[str, ...]] = ()  # Pulumi names of output-only properties

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        kind = type(self).__name__
        names = self._args.names()
        positional = list(args)
        given: Any = kwargs.pop("args", None)
        if given is None and positional and isinstance(positional[0], (CognitoArgs, Mapping)):
            given = positional.pop(0)
        opts = kwargs.pop("opts", None) or (positional.pop(0) if positional else None)
        if positional:
            raise TypeError(f"{kind} takes (resource_name, args, opts) or keyword arguments")
        if given is not None:
            if kwargs:
                raise TypeError(f"{kind} got both args and keyword arguments {sorted(kwargs)}")
            if not isinstance(given, self._args):
                given = self._args(**dict(given))
            props = given.props()
        else:
            unknown = sorted(set(kwargs) - set(names))
            if unknown:
                raise TypeError(f"{kind} got unexpected keyword arguments {unknown}")
            props = {name: kwargs.get(name) for name in names}
        props.update({snake(wire): None for wire in self._outputs if snake(wire) not in props})
        super().__init__(self._args._provider(), resource_name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        return self._args.names().get(prop, {snake(w): w for w in self._outputs}.get(prop, prop))

    def translate_output_property(self, prop: str) -> str:
        return snake(prop) if prop in self._args._provider.fields or prop in self._outputs else prop
