"""Measures of two years' plans side by side, matched by id (never by number or title).

A new measure stands beside the old measure with its id and the old measures it absorbs;
an old measure nobody took stays in its old place, beside an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.model.plan import Measure, Plan, PlanField


@dataclass(frozen=True)
class Pair:
    new: Measure | None
    old: tuple[Measure, ...]


@dataclass(frozen=True)
class FieldGroup:
    new: PlanField | None
    old: PlanField | None
    pairs: tuple[Pair, ...]

    @property
    def title(self) -> str:
        field = self.new or self.old
        assert field is not None
        return field.title


def pair_plans(new: Plan, old: Plan) -> list[FieldGroup]:
    old_measures = old.measures()
    old_order = [m.id for f in old.fields for m in f.measures]
    taken: set[str] = set()
    rows: dict[str, list[Pair]] = {}
    for field in new.fields:
        rows[field.id] = []
        for m in field.measures:
            # In their old order: the old column reads as last year's plan did.
            ids = sorted((i for i in (m.id, *m.absorbs) if i in old_measures and i not in taken),
                         key=old_order.index)
            taken.update(ids)
            rows[field.id].append(Pair(m, tuple(old_measures[i][1] for i in ids)))
    old_fields = {f.id: f for f in old.fields}
    for mid in old_order:
        if mid in taken:
            continue
        field, measure = old_measures[mid]
        target = rows.setdefault(field.id, [])
        # After the row holding the old measure that preceded it, so it keeps its old place.
        before = old_order[: old_order.index(mid)]
        position = 0
        for i, pair in enumerate(target):
            if any(o.id in before for o in pair.old):
                position = i + 1
        target.insert(position, Pair(None, (measure,)))
        taken.add(mid)
    new_fields = {f.id: f for f in new.fields}
    order = [f.id for f in new.fields] + [f.id for f in old.fields if f.id not in new_fields]
    return [FieldGroup(new_fields.get(fid), old_fields.get(fid), tuple(rows[fid])) for fid in order
            if fid in rows]
