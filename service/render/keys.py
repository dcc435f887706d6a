"""The lines `huanjie keys` prints."""

from __future__ import annotations

from service.store.views import KeyInfo, NewKey


def key_lines(keys: list[KeyInfo]) -> list[str]:
    if not keys:
        return ["no keys yet: huanjie keys create NAME --role admin"]
    out = [f"{'id':<14} {'role':<8} {'created':<20} {'revoked':<20} name"]
    for k in keys:
        revoked = k.revoked_at.strftime("%Y-%m-%d %H:%M:%S") if k.revoked_at else "-"
        out.append(f"{k.id:<14} {k.role.value:<8} {k.created_at.strftime('%Y-%m-%d %H:%M:%S'):<20} "
                   f"{revoked:<20} {k.name}")
    return out


def new_key_lines(new: NewKey) -> list[str]:
    return [f"key {new.key.id} ({new.key.role.value}) for {new.key.name}",
            f"secret: {new.secret}",
            "the secret is shown this once; send it as 'Authorization: Bearer <secret>'"]
