/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the built nnsketch (env NNSKETCH) as a process, with no display. */
typedef struct
{
  int   status;   /* exit status */
  char *out;      /* stdout */
  char *err;      /* stderr */
} NnsRun;

/* Arguments NULL-terminated. stdin_text NULL: empty stdin. */
NnsRun nns_test_run         (const char *stdin_text,
                             const char *first,
                             ...) G_GNUC_NULL_TERMINATED;
NnsRun nns_test_run_argv    (const char *stdin_text,
                             const char *const *argv);
void   nns_test_run_clear   (NnsRun     *run);
/* cmocka assertions: exit status 1, nothing on stdout, exactly one stderr
 * line "nnsketch: error: …" containing needle. */
void   nns_test_assert_error (NnsRun    *run,
                              const char *needle);

G_END_DECLS
