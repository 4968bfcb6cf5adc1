# audit.m4: AUDIT_PATH, an autoconf check for libaudit (libaudit-rs).
#
# Same interface as the macro libaudit-dev has long shipped:
#   --with-audit=auto|yes|no   (configure option, default auto)
#   AUDIT_LDADD                substituted: -laudit when usable, empty otherwise
#   HAVE_AUDIT                 defined to 1 when usable
# "yes" makes a missing library an error; a library without its header is always an error.
AC_DEFUN([AUDIT_PATH],
[
  AC_ARG_WITH([audit],
    [AS_HELP_STRING([--with-audit=@<:@auto/yes/no@:>@], [Add audit support @<:@default=auto@:>@])],
    [], [with_audit=auto])

  AUDIT_LDADD=
  if test "x$with_audit" != xno; then
    AC_CHECK_HEADER([libaudit.h], [audit_header=yes], [audit_header=no])
    AC_CHECK_LIB([audit], [audit_open], [AUDIT_LDADD=-laudit])
    if test "x$AUDIT_LDADD" = x && test "x$with_audit" = xyes; then
      AC_MSG_ERROR([audit support was requested but libaudit was not found])
    fi
    if test "x$AUDIT_LDADD" != x && test "x$audit_header" = xno; then
      AC_MSG_ERROR([libaudit was found but libaudit.h is missing])
    fi
  fi
  AC_SUBST([AUDIT_LDADD])
  AC_MSG_CHECKING([whether to use audit])
  if test "x$AUDIT_LDADD" != x; then
    AC_DEFINE([HAVE_AUDIT], [1], [audit support])
    AC_MSG_RESULT([yes])
  else
    AC_MSG_RESULT([no])
  fi
])
