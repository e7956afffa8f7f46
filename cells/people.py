"""How a person is named on screen and on paper: Vietnamese order, family name first."""


def person_name(user) -> str:
    if user is None:
        return "—"
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.username
