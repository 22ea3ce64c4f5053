/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the tests that run the command line as a user would. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <string.h>

#include "nns-test-run.h"

NnsRun
nns_test_run_argv (const char *stdin_text, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  const char *binary = g_getenv ("NNSKETCH");
  const char *child_asan = g_getenv ("NNS_CHILD_ASAN_OPTIONS");
  NnsRun run = { 0 };

  assert_non_null (binary);
  g_ptr_array_add (argv, (char *) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  /* Under ASan the child checks its own leaks (see tests/meson.build). */
  if (child_asan != NULL)
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", child_asan, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  assert_null (error);
  assert_true (g_subprocess_communicate_utf8 (process, stdin_text ? stdin_text : "", NULL,
                                              &run.out, &run.err, &error));
  assert_null (error);
  assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

NnsRun
nns_test_run (const char *stdin_text, const char *first, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return nns_test_run_argv (stdin_text, (const char *const *) args->pdata);
}

void
nns_test_run_clear (NnsRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
nns_test_assert_error (NnsRun *run, const char *needle)
{
  const char *newline;

  if (run->status != 1 || strstr (run->err, needle) == NULL)
    print_error ("expected an error with “%s”, got status %d, stderr “%s”\n", needle,
                 run->status, run->err);
  assert_int_equal (run->status, 1);
  assert_string_equal (run->out, "");
  assert_true (g_str_has_prefix (run->err, "nnsketch: error: "));
  newline = strchr (run->err, '\n');
  assert_non_null (newline);
  assert_int_equal (newline[1], '\0');
  assert_non_null (strstr (run->err, needle));
}
