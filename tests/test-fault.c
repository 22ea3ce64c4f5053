/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saves under faults: a full disk (a small tmpfs the test mounts) and
 * SIGKILL at random points of the real nnsketch's saves and exports. After
 * each, the target is byte for byte the old or the new file and the folder
 * holds nothing else. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nns-document.h"
#include "nns-file.h"
#include "nns-file-private.h"
#include "nns-test-folder.h"
#include "nns-test-run.h"

/* Kills per job; two jobs (a document save, a large SVG export). */
#define KILLS_PER_JOB 80
#define KILL_SEED 20261202

/* A 64 KiB tmpfs in a new temporary folder, or NULL (and a skip) where
 * mounting is not allowed. */
static char *
mount_small_disk (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-fault-XXXXXX", NULL);

  assert_non_null (dir);
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0)
    {
      fprintf (stderr, "skipped: cannot mount a 64 KiB tmpfs on %s (%s); "
               "the disk-full cases need root or CAP_SYS_ADMIN\n", dir, g_strerror (errno));
      g_rmdir (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

static void
unmount_small_disk (const char *dir)
{
  assert_int_equal (umount2 (dir, MNT_DETACH), 0);
  assert_int_equal (g_rmdir (dir), 0);
}

/* Fills what is left of the disk with one file. */
static void
fill_disk (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  char block[4096] = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  assert_true (fd >= 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  /* tmpfs may take a last part of a block. */
  while (write (fd, block, 1) > 0)
    ;
  assert_int_equal (errno, ENOSPC);
  close (fd);
}

static void
assert_contents (const char *path, const char *expected)
{
  g_autofree char *contents = NULL;

  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_string_equal (contents, expected);
}

/* The writer itself, unnamed temporary and named fallback: a file larger
 * than the disk, and a disk already full. */
static void
test_full_disk_writer (void **state)
{
  g_autofree char *dir = mount_small_disk ();
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *big = NULL;

  if (dir == NULL)
    {
      skip ();
      return;
    }
  path = g_build_filename (dir, "out.nnsketch", NULL);
  expected = g_strdup_printf ("%s: no space left on device", path);
  big = g_malloc0 (256 * 1024);
  memset (big, 'x', 256 * 1024 - 1);

  for (int tmpfile = 1; tmpfile >= 0; tmpfile--)
    {
      g_autoptr (GError) error = NULL;

      nns_file_set_use_tmpfile (tmpfile);
      assert_true (nns_file_write_atomic (path, "old", 3, NULL));
      assert_false (nns_file_write_atomic (path, big, strlen (big), &error));
      assert_string_equal (error->message, expected);
      assert_true (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC));
      assert_contents (path, "old");
      {
        g_autofree char *names = nns_test_list_folder (dir);

        assert_string_equal (names, "out.nnsketch");
      }
    }

  nns_file_set_use_tmpfile (TRUE);
  fill_disk (dir);
  for (int tmpfile = 1; tmpfile >= 0; tmpfile--)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *names = NULL;

      nns_file_set_use_tmpfile (tmpfile);
      /* Even a few bytes need a block the disk does not have. */
      assert_false (nns_file_write_atomic (path, "new contents", 12, &error));
      assert_string_equal (error->message, expected);
      assert_contents (path, "old");
      names = nns_test_list_folder (dir);
      assert_string_equal (names, "filler out.nnsketch");
    }
  nns_file_set_use_tmpfile (TRUE);
  unmount_small_disk (dir);
}

/* A document save on a full disk keeps the document that was there. */
static void
test_full_disk_document (void **state)
{
  g_autofree char *dir = mount_small_disk ();
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *old = NULL;
  g_autofree char *names = NULL;
  g_autoptr (NnsNetwork) small = NULL;
  g_autoptr (NnsNetwork) mnist = NULL;
  g_autoptr (GError) error = NULL;
  const guint small_widths[] = { 8, 4, 2 };
  const guint mnist_widths[] = { 784, 256, 128, 10 };
  NnsStyle style;

  if (dir == NULL)
    {
      skip ();
      return;
    }
  path = g_build_filename (dir, "mnist.nnsketch", NULL);
  expected = g_strdup_printf ("%s: no space left on device", path);
  nns_style_init_default (&style);
  small = nns_network_new (small_widths, G_N_ELEMENTS (small_widths), NULL);
  mnist = nns_network_new (mnist_widths, G_N_ELEMENTS (mnist_widths), NULL);
  assert_non_null (small);
  assert_non_null (mnist);

  assert_true (nns_document_save (small, &style, path, &error));
  assert_true (g_file_get_contents (path, &old, NULL, NULL));
  fill_disk (dir);
  assert_false (nns_document_save (mnist, &style, path, &error));
  assert_string_equal (error->message, expected);
  assert_contents (path, old);
  names = nns_test_list_folder (dir);
  assert_string_equal (names, "filler mnist.nnsketch");
  unmount_small_disk (dir);
}

/* nnsketch --export-filename on a disk too small for the picture, and on a
 * full one: one line naming the file, the old file whole, nothing left. */
static void
test_full_disk_cli (void **state)
{
  g_autofree char *dir = mount_small_disk ();
  const char *files[] = { "mnist.svg", "mnist.png", "mnist.pdf", "mnist.nnsketch", "mnist.py" };

  if (dir == NULL)
    {
      skip ();
      return;
    }
  for (int full = 0; full <= 1; full++)
    {
      if (full)
        fill_disk (dir);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (dir, files[i], NULL);
          g_autofree char *option = g_strdup_printf ("--export-filename=%s", path);
          g_autofree char *expected = g_strdup_printf ("nnsketch: error: %s: no space left on device\n",
                                                       path);
          g_autofree char *names = NULL;
          g_autofree char *want = NULL;
          NnsRun run;

          /* Without a full disk only the large pictures overflow 64 KiB. */
          if (!full && (g_str_has_suffix (path, ".nnsketch") || g_str_has_suffix (path, ".py")
                        || g_str_has_suffix (path, ".pdf")))
            continue;
          if (!full)
            assert_true (g_file_set_contents (path, "old", 3, NULL));
          run = nns_test_run (NULL, "--layers=784,256,128,10", "--show-all-neurons", option, NULL);
          nns_test_assert_error (&run, "no space left on device");
          assert_string_equal (run.err, expected);
          nns_test_run_clear (&run);
          if (!full)
            {
              assert_contents (path, "old");
              g_unlink (path);
            }
          names = nns_test_list_folder (dir);
          want = g_strdup (full ? "filler" : "");
          assert_string_equal (names, want);
        }
    }
  unmount_small_disk (dir);
}

typedef struct
{
  const char *name;       /* the target's name */
  const char *old_args;   /* arguments that wrote the old file */
  const char *new_args;   /* arguments of the save that gets killed */
} Job;

static char **
job_argv (const char *args, const char *path)
{
  g_autofree char *option = g_strdup_printf ("--export-filename=%s", path);
  g_auto (GStrv) words = g_strsplit (args, " ", -1);
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup (g_getenv ("NNSKETCH")));
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (words[i]));
  g_ptr_array_add (argv, g_strdup (option));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static GPid
spawn_job (char **argv)
{
  g_autoptr (GError) error = NULL;
  GPid pid = 0;

  assert_true (g_spawn_async (NULL, argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                  G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &pid, &error));
  return pid;
}

/* Runs argv to its end; returns how long it took in microseconds. */
static gint64
run_job (char **argv)
{
  gint64 start = g_get_monotonic_time ();
  GPid pid = spawn_job (argv);
  int status = 0;

  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status));
  assert_int_equal (WEXITSTATUS (status), 0);
  return g_get_monotonic_time () - start;
}

/* Whether process pid has an unnamed file of dir open: a save mid-write. */
static gboolean
is_writing (GPid pid, const char *dir)
{
  g_autofree char *fds = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr (GDir) d = g_dir_open (fds, 0, NULL);
  g_autofree char *prefix = g_strdup_printf ("%s/#", dir);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *fd = g_build_filename (fds, name, NULL);
      g_autofree char *target = g_file_read_link (fd, NULL);

      if (target != NULL && g_str_has_prefix (target, prefix) && g_str_has_suffix (target, " (deleted)"))
        return TRUE;
    }
  return FALSE;
}

static void
test_kill_during_save (void **state)
{
  const Job jobs[] = {
    { "net.nnsketch", "--layers=8,4,2", "--layers=784,256,128,10" },
    { "big.svg", "--layers=8,4,2", "--layers=784,256,128,10 --show-all-neurons" },
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (KILL_SEED);
  guint kills = 0, torn = 0, leftovers = 0, finished = 0, mid_write = 0;

  for (guint j = 0; j < G_N_ELEMENTS (jobs); j++)
    {
      g_autofree char *dir = g_dir_make_tmp ("nns-kill-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, jobs[j].name, NULL);
      g_auto (GStrv) old_argv = job_argv (jobs[j].old_args, path);
      g_auto (GStrv) new_argv = job_argv (jobs[j].new_args, path);
      g_autofree char *old = NULL, *new = NULL;
      gsize old_len, new_len;
      gint64 duration;

      /* The two whole files a kill may leave. */
      run_job (new_argv);
      assert_true (g_file_get_contents (path, &new, &new_len, NULL));
      duration = run_job (old_argv);
      duration = MAX (duration, run_job (new_argv));
      run_job (old_argv);
      assert_true (g_file_get_contents (path, &old, &old_len, NULL));
      assert_true (old_len != new_len || memcmp (old, new, old_len) != 0);

      for (guint k = 0; k < KILLS_PER_JOB; k++)
        {
          g_autofree char *contents = NULL;
          g_autofree char *names = NULL;
          gsize length;
          int status = 0;
          GPid pid = spawn_job (new_argv);

          /* Anywhere from start-up to near the end of a whole run. */
          g_usleep (g_rand_int_range (rand, 0, (gint32) MIN (duration * 9 / 10, G_MAXINT32)));
          if (is_writing (pid, dir))
            mid_write++;
          kill (pid, SIGKILL);
          assert_int_equal (waitpid (pid, &status, 0), pid);
          kills++;
          if (!WIFSIGNALED (status))
            finished++;

          assert_true (g_file_get_contents (path, &contents, &length, NULL));
          if (!(length == old_len && memcmp (contents, old, length) == 0) &&
              !(length == new_len && memcmp (contents, new, length) == 0))
            torn++;

          names = nns_test_list_folder (dir);
          if (strcmp (names, jobs[j].name) != 0)
            {
              /* Only a kill in the instant between linkat and rename can
               * leave a file: the whole new one, hidden, of the pattern the
               * next save removes. A partial file would mean the bytes went
               * to a named temporary. */
              g_autofree char *prefix = nns_file_temporary_prefix (jobs[j].name);
              g_autofree char *tmp = NULL;
              g_autofree char *tmp_contents = NULL;
              gsize tmp_length = 0;

              leftovers++;
              fprintf (stderr, "after kill %u: %s\n", kills, names);
              assert_true (g_str_has_prefix (names, prefix));
              *strchr (names, ' ') = '\0';
              tmp = g_build_filename (dir, names, NULL);
              assert_true (g_file_get_contents (tmp, &tmp_contents, &tmp_length, NULL));
              assert_true (tmp_length == new_len && memcmp (tmp_contents, new, new_len) == 0);
              run_job (old_argv);
              g_free (names);
              names = nns_test_list_folder (dir);
              assert_string_equal (names, jobs[j].name);
            }
          /* Back to the old file for the next kill. */
          if (length != old_len || memcmp (contents, old, length) != 0)
            assert_true (g_file_set_contents (path, old, old_len, NULL));
        }
      g_unlink (path);
      assert_int_equal (g_rmdir (dir), 0);
    }
  fprintf (stderr, "kills %u (%u runs had finished, %u were writing), torn files %u, "
           "leftovers %u\n", kills, finished, mid_write, torn, leftovers);
  assert_int_equal (torn, 0);
  assert_true (kills - finished >= 100);
  /* Some kills hit a save mid-write, the case the unnamed temporary is for. */
  assert_true (mid_write >= 10);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_disk_writer),
    cmocka_unit_test (test_full_disk_document),
    cmocka_unit_test (test_full_disk_cli),
    cmocka_unit_test (test_kill_during_save),
  };

  /* Under AddressSanitizer the drawings' children would report fontconfig's
   * and cairo's caches at exit as leaks, on stderr the tests read. */
  if (g_getenv ("NNS_CHILD_ASAN_OPTIONS") != NULL)
    g_setenv ("NNS_CHILD_ASAN_OPTIONS", "detect_leaks=0", TRUE);

  return cmocka_run_group_tests (tests, NULL, NULL);
}
