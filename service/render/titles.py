"""Titles as staff write them, from the township: a 乡 has a 乡长 and 副乡长, a 镇 a 镇长 and
副镇长 (a 民族乡 is a 乡), the posts of a bundled seat in the staff's order (党委委员、副镇长),
and a current post named in its township (东山镇镇长, not 东山镇乡镇长). The presets' seat
labels stay as written; reports title seats from their posts instead."""

from __future__ import annotations

from model.enums import Post
from model.people import Township
from model.ruleset import Seat

GENERIC = "乡镇"
"""The word the posts' own labels use (乡镇长, 副乡镇长), replaced by the township's kind."""

ORDER = (
    Post.party_secretary, Post.deputy_secretary_party, Post.deputy_secretary_stability,
    Post.deputy_secretary, Post.committee_member, Post.discipline_secretary, Post.organization_member,
    Post.propaganda_member, Post.organization_propaganda_member, Post.discipline_deputy,
    Post.congress_chair, Post.township_head, Post.congress_vice_chair, Post.armed_forces_head,
    Post.deputy_head,
)
"""Staff's order in a bundled title: party posts first (书记, 副书记, 委员), then the
congress and the government (党委书记、人大主席; 党委副书记、镇长; 党委委员、副镇长)."""

COMMITTEE_POSTS = frozenset({
    Post.party_secretary, Post.deputy_secretary, Post.deputy_secretary_party,
    Post.deputy_secretary_stability, Post.discipline_secretary, Post.organization_member,
    Post.propaganda_member, Post.organization_propaganda_member,
})
"""Posts that are themselves seats on the party committee: with one of them, 党委委员 goes unsaid."""

SPECIFIC_DEPUTY = frozenset({Post.deputy_secretary_party, Post.deputy_secretary_stability})
"""A named deputy secretaryship (党委专职副书记) says 党委副书记 already."""


def township_kind(township: Township) -> str:
    """'乡' or '镇' from the name's last character (民族乡 ends in 乡); '乡镇' when the name says neither."""
    last = township.name[-1:]
    return last if last in ("乡", "镇") else GENERIC


def post_title(post: Post, township: Township) -> str:
    """The post's title in this township: 镇长 in a 镇, 副乡长 in a 乡, 人大主席 anywhere."""
    return post.zh.replace(GENERIC, township_kind(township))


def titles(posts: tuple[Post, ...] | list[Post], township: Township) -> str:
    """Several posts held by one person, as one title in the staff's order."""
    held = set(posts)
    if held & COMMITTEE_POSTS - {Post.committee_member}:
        held.discard(Post.committee_member)
    if held & SPECIFIC_DEPUTY:
        held.discard(Post.deputy_secretary)
    return "、".join(post_title(p, township) for p in ORDER if p in held)


def seat_title(seat: Seat, township: Township, extra: tuple[Post, ...] = ()) -> str:
    """A seat's title from its posts and the optional posts a slate gives it (党委委员、副镇长)."""
    return titles((*seat.posts, *extra), township)


def current_title(post: Post, township: Township) -> str:
    """A sitting member's post, named in its township: '东山镇镇长'."""
    return township.name + post_title(post, township)
