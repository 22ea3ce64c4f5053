/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atomic writes: the file appears whole or not at all, errors name the path. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nns-file.h"
#include "nns-file-private.h"

#include <sys/wait.h>
#include <utime.h>

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  assert_non_null (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_write_and_replace (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  struct stat st;
  gsize length;

  assert_true (nns_file_write_atomic (path, "first", 5, &error));
  assert_true (nns_file_write_atomic (path, "second\n", 7, &error));
  assert_null (error);
  assert_true (g_file_get_contents (path, &contents, &length, NULL));
  assert_int_equal (length, 7);
  assert_string_equal (contents, "second\n");
  /* Only the file itself: no temporary left over. */
  assert_int_equal (count_entries (dir), 1);
  /* The umask's permissions, not the 0600 of a temporary file. */
  assert_int_equal (g_stat (path, &st), 0);
  {
    mode_t mask = umask (0);

    umask (mask);
    assert_int_equal (st.st_mode & 0777, 0666 & ~mask);
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_errors_name_path (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "plain", NULL);
  g_autofree char *under_file = g_build_filename (file, "x.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "x.png", NULL);
  const struct { const char *path; const char *reason; } cases[] = {
    { missing, "No such file or directory" },
    { under_file, "Not a directory" },
    { dir, "Is a directory" },
    { "/proc/nnsketch-test.png", NULL },
  };

  assert_true (g_file_set_contents (file, "keep", 4, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *prefix = g_strdup_printf ("%s: ", cases[i].path);

      assert_false (nns_file_write_atomic (cases[i].path, "data", 4, &error));
      assert_non_null (error);
      assert_true (g_str_has_prefix (error->message, prefix));
      if (cases[i].reason)
        assert_non_null (strstr (error->message, cases[i].reason));
    }
  /* Nothing written anywhere; the plain file is untouched. */
  assert_int_equal (count_entries (dir), 1);
  {
    g_autofree char *contents = NULL;

    assert_true (g_file_get_contents (file, &contents, NULL, NULL));
    assert_string_equal (contents, "keep");
  }
  g_unlink (file);
  g_rmdir (dir);
}

/* Saving through a symbolic link replaces its target and keeps the link;
 * a replaced file keeps its permissions (a private file stays private). */
static void
test_link_and_mode (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "real.nnsketch", NULL);
  g_autofree char *link = g_build_filename (dir, "link.nnsketch", NULL);
  g_autofree char *dangling = g_build_filename (dir, "new-link.png", NULL);
  g_autofree char *dangling_target = g_build_filename (dir, "new.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  struct stat st;

  assert_true (g_file_set_contents (target, "old", 3, NULL));
  assert_int_equal (g_chmod (target, 0600), 0);
  assert_int_equal (symlink ("real.nnsketch", link), 0);

  assert_true (nns_file_write_atomic (link, "new", 3, &error));
  assert_int_equal (g_lstat (link, &st), 0);
  assert_true (S_ISLNK (st.st_mode));
  assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  assert_string_equal (contents, "new");
  assert_int_equal (g_stat (target, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0600);

  /* A link to a file not there yet creates the file where it points. */
  assert_int_equal (symlink ("new.png", dangling), 0);
  assert_true (nns_file_write_atomic (dangling, "png", 3, &error));
  assert_true (g_file_test (dangling_target, G_FILE_TEST_IS_REGULAR));
  assert_int_equal (g_lstat (dangling, &st), 0);
  assert_true (S_ISLNK (st.st_mode));
  assert_int_equal (count_entries (dir), 4);

  g_unlink (link);
  g_unlink (target);
  g_unlink (dangling);
  g_unlink (dangling_target);
  g_rmdir (dir);
}

/* While a save is being written its temporary has no name in the folder,
 * so a process killed then leaves nothing; given up, nothing remains. */
static void
test_unnamed_temporary (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.svg", NULL);
  g_autoptr (GError) error = NULL;
  NnsFileWriter *writer;
  char chunk[1000];

  memset (chunk, 'a', sizeof chunk);
  writer = nns_file_writer_new (path, &error);
  assert_non_null (writer);
  for (guint i = 0; i < 300; i++)
    assert_true (nns_file_writer_write (writer, chunk, sizeof chunk));
  assert_int_equal (count_entries (dir), 0);
  nns_file_writer_free (writer);
  assert_int_equal (count_entries (dir), 0);

  /* Small writes are gathered, large ones pass through, all in order. */
  {
    g_autofree char *big = g_malloc (100000);
    g_autofree char *contents = NULL;
    g_autoptr (GString) expected = g_string_new (NULL);
    gsize length;

    writer = nns_file_writer_new (path, &error);
    for (guint i = 0; i < 40; i++)
      {
        gsize n = i % 5 == 4 ? 100000 : 1 + i * 997 % sizeof chunk;
        char *source = n == 100000 ? big : chunk;

        memset (source, 'a' + i % 26, n);
        g_string_append_len (expected, source, n);
        assert_true (nns_file_writer_write (writer, source, n));
      }
    assert_true (nns_file_writer_commit (writer, &error));
    assert_int_equal (count_entries (dir), 1);
    assert_true (g_file_get_contents (path, &contents, &length, NULL));
    assert_int_equal (length, expected->len);
    assert_memory_equal (contents, expected->str, length);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* Where there are no unnamed files, a save's named temporary goes when the
 * save ends; a later save of the same file removes the ones a killed save
 * left (process gone, or over an hour old) and nothing else. */
static void
test_stale_temporaries (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.svg", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dead = NULL, *old = NULL, *live = NULL;
  struct utimbuf long_ago;
  NnsFileWriter *writer;
  const char *kept[] = { ".out.svg.nns-notes", ".other.svg.nns-1-abcdef", "out.svg.nns-1-abcdef",
                         NULL, ".out.svg.nns-1-abcdefg" };
  pid_t child;

  /* A pid that surely has no process: a child that has exited. */
  child = fork ();
  if (child == 0)
    _exit (0);
  assert_int_equal (waitpid (child, NULL, 0), child);
  dead = g_strdup_printf ("%s/.out.svg.nns-%d-Ab3dE9", dir, (int) child);
  old = g_strdup_printf ("%s/.out.svg.nns-1-Zz9yX8", dir);
  live = g_strdup_printf (".out.svg.nns-%d-qwerty", (int) getpid ());
  kept[3] = live;
  assert_true (g_file_set_contents (dead, "partial", -1, NULL));
  assert_true (g_file_set_contents (old, "partial", -1, NULL));
  long_ago.actime = long_ago.modtime = time (NULL) - 2 * 60 * 60;
  assert_int_equal (utime (old, &long_ago), 0);
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *p = g_build_filename (dir, kept[i], NULL);

      assert_true (g_file_set_contents (p, "mine", -1, NULL));
    }

  nns_file_set_use_tmpfile (FALSE);
  writer = nns_file_writer_new (path, &error);
  assert_non_null (writer);
  assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  /* The kept files and this save's own named temporary. */
  assert_int_equal (count_entries (dir), G_N_ELEMENTS (kept) + 1);
  assert_true (nns_file_writer_write (writer, "svg", 3));
  assert_true (nns_file_writer_commit (writer, &error));
  assert_int_equal (count_entries (dir), G_N_ELEMENTS (kept) + 1);
  assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* A failed named save removes its temporary at once. */
  writer = nns_file_writer_new (path, &error);
  nns_file_writer_free (writer);
  assert_int_equal (count_entries (dir), G_N_ELEMENTS (kept) + 1);
  nns_file_set_use_tmpfile (TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *p = g_build_filename (dir, kept[i], NULL);

      assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
      g_unlink (p);
    }
  g_unlink (path);
  assert_int_equal (g_rmdir (dir), 0);
}

/* Reading what the user names: capped in size, and the window's reads take
 * regular files only, so a pipe cannot block it. */
static void
test_read (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-file-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "model.txt", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autoptr (GFile) plain_file = g_file_new_for_path (plain);
  g_autoptr (GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr (GFile) zero = g_file_new_for_path ("/dev/zero");
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autoptr (GFile) missing = g_file_new_for_path ("/no/such/model.txt");
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  gsize length = 0;

  assert_true (g_file_set_contents (plain, "nn.Sequential()", -1, NULL));
  contents = nns_file_read (plain_file, TRUE, &length, &error);
  assert_non_null (contents);
  assert_int_equal (length, 15);
  assert_string_equal (contents, "nn.Sequential()");

  assert_int_equal (mkfifo (fifo, 0600), 0);
  assert_null (nns_file_read (fifo_file, TRUE, &length, &error));
  expected = g_strdup_printf ("%s: not a regular file", fifo);
  assert_string_equal (error->message, expected);
  g_clear_error (&error);

  assert_null (nns_file_read (zero, FALSE, &length, &error));
  assert_string_equal (error->message,
                       "/dev/zero: larger than 16 MB, too large for a network description");
  g_clear_error (&error);

  assert_null (nns_file_read (missing, FALSE, &length, &error));
  assert_string_equal (error->message, "/no/such/model.txt: No such file or directory");
  g_clear_error (&error);

  assert_null (nns_file_read (folder, FALSE, &length, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: Is a directory", dir);
  assert_string_equal (error->message, expected);

  g_unlink (plain);
  g_unlink (fifo);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_write_and_replace),
    cmocka_unit_test (test_errors_name_path),
    cmocka_unit_test (test_link_and_mode),
    cmocka_unit_test (test_unnamed_temporary),
    cmocka_unit_test (test_stale_temporaries),
    cmocka_unit_test (test_read),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
