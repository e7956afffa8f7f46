"""Signing in and keeping track of it: the security log, the lockout, two-factor sign-in,
session limits and the security headers. Access itself is decided in `cells.access`."""
