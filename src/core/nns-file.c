/* SPDX-License-Identifier: GPL-3.0-or-later */
/* O_TMPFILE and linkat. */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "nns-file"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "nns-file.h"
#include "nns-file-private.h"

/* A temporary older than this is stale even when a process of its pid
 * lives: the pid has been reused, or the file came from another machine
 * sharing the folder. */
#define STALE_SECONDS (60 * 60)
#define BUFFER_SIZE 65536

static gboolean use_tmpfile = TRUE;

void
nns_file_set_use_tmpfile (gboolean use)
{
  use_tmpfile = use;
}

static gboolean
fail (const char *path, int saved_errno, GError **error)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, _("%s: no space left on device"), path);
  else
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
                 g_strerror (saved_errno));
  return FALSE;
}

/* Where writing path really goes: through a symbolic link to its target, so
 * saving replaces the target and keeps the link. */
static char *
resolve_target (const char *path)
{
  g_autofree char *link = NULL;
  char *real = realpath (path, NULL);

  if (real != NULL)
    {
      char *copy = g_strdup (real);

      free (real);
      return copy;
    }
  /* A link to a file that does not exist yet: follow it once. */
  link = g_file_read_link (path, NULL);
  if (link != NULL && !g_path_is_absolute (link))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      return g_build_filename (dir, link, NULL);
    }
  return link != NULL ? g_steal_pointer (&link) : g_strdup (path);
}

char *
nns_file_temporary_prefix (const char *base)
{
  return g_strdup_printf (".%s.nns-", base);
}

/* Removes the temporaries of earlier saves of base in dir that nobody will
 * finish: their process is gone, or they are old. */
static void
remove_stale (const char *dir, const char *base)
{
  g_autofree char *prefix = nns_file_temporary_prefix (base);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  gsize prefix_len = strlen (prefix);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *full = NULL;
      const char *p;
      char *end = NULL;
      guint64 pid;
      struct stat st;
      gboolean gone;

      if (strncmp (name, prefix, prefix_len) != 0)
        continue;
      p = name + prefix_len;
      if (!g_ascii_isdigit (*p))
        continue;
      pid = g_ascii_strtoull (p, &end, 10);
      /* ".BASE.nns-PID-XXXXXX" exactly, so no file of the user's matches. */
      if (end == NULL || end[0] != '-' || strlen (end + 1) != 6 || pid == 0 || pid > G_MAXINT)
        continue;
      full = g_build_filename (dir, name, NULL);
      if (g_lstat (full, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      gone = (pid_t) pid != getpid () && kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
      if (gone || now - (gint64) st.st_mtime > STALE_SECONDS)
        g_unlink (full);
    }
}

struct _NnsFileWriter
{
  char *path;    /* as the caller named it, for messages */
  char *target;  /* the file replaced: a link's target */
  char *dir;
  char *tmp;     /* the temporary's name; NULL while it is unnamed */
  int fd;
  int saved_errno; /* the first failure, 0 while all is well */
  guint8 *buffer;
  gsize buffered;
};

/* ".BASE.nns-PID-XXXXXX" in the target's folder, for mkstemp or to try. */
static char *
temporary_template (NnsFileWriter *writer)
{
  g_autofree char *base = g_path_get_basename (writer->target);
  g_autofree char *prefix = nns_file_temporary_prefix (base);

  return g_strdup_printf ("%s%s%s%d-XXXXXX", writer->dir, G_DIR_SEPARATOR_S, prefix,
                          (int) getpid ());
}

/* An unnamed file in the folder, or -1 where the file system, the kernel or a
 * missing /proc (linkat goes through /proc/self/fd) rule it out. */
static int
open_unnamed (const char *dir)
{
#ifdef O_TMPFILE
  if (use_tmpfile && g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    return open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#endif
  errno = EOPNOTSUPP;
  return -1;
}

NnsFileWriter *
nns_file_writer_new (const char *path, GError **error)
{
  g_autoptr (NnsFileWriter) writer = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (path[0] == '\0')
    {
      fail ("(empty file name)", ENOENT, error);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      fail (path, EISDIR, error);
      return NULL;
    }
  writer = g_new0 (NnsFileWriter, 1);
  writer->fd = -1;
  writer->path = g_strdup (path);
  writer->target = resolve_target (path);
  writer->dir = g_path_get_dirname (writer->target);
  base = g_path_get_basename (writer->target);
  remove_stale (writer->dir, base);

  writer->fd = open_unnamed (writer->dir);
  if (writer->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
    {
      /* Named from the start; the next save removes it if this one dies. */
      writer->tmp = temporary_template (writer);
      writer->fd = g_mkstemp_full (writer->tmp, O_WRONLY | O_CLOEXEC, 0600);
      if (writer->fd < 0)
        g_clear_pointer (&writer->tmp, g_free);
    }
  if (writer->fd < 0)
    {
      fail (path, errno, error);
      return NULL;
    }
  writer->buffer = g_malloc (BUFFER_SIZE);
  return g_steal_pointer (&writer);
}

static gboolean
write_all (NnsFileWriter *writer, const guint8 *p, gsize length)
{
  while (length > 0)
    {
      gssize written = write (writer->fd, p, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          writer->saved_errno = written < 0 && errno != 0 ? errno : ENOSPC;
          return FALSE;
        }
      p += written;
      length -= written;
    }
  return TRUE;
}

static gboolean
flush (NnsFileWriter *writer)
{
  gsize n = writer->buffered;

  writer->buffered = 0;
  return writer->saved_errno == 0 && write_all (writer, writer->buffer, n);
}

gboolean
nns_file_writer_write (NnsFileWriter *writer, const void *data, gsize length)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  if (writer->saved_errno != 0)
    return FALSE;
  if (length == 0)
    return TRUE;
  if (writer->buffered + length > BUFFER_SIZE && !flush (writer))
    return FALSE;
  if (length >= BUFFER_SIZE)
    return write_all (writer, data, length);
  memcpy (writer->buffer + writer->buffered, data, length);
  writer->buffered += length;
  return TRUE;
}

void
nns_file_writer_free (NnsFileWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->fd >= 0)
    close (writer->fd);
  if (writer->tmp != NULL)
    g_unlink (writer->tmp);
  g_free (writer->path);
  g_free (writer->target);
  g_free (writer->dir);
  g_free (writer->tmp);
  g_free (writer->buffer);
  g_free (writer);
}

/* The unnamed temporary gets a hidden name of the stale pattern: linkat
 * cannot replace a file, rename() then can, atomically. */
static gboolean
link_unnamed (NnsFileWriter *writer)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", writer->fd);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = temporary_template (writer);
      char *x = name + strlen (name) - 6;
      static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

      for (guint i = 0; i < 6; i++)
        x[i] = letters[g_random_int_range (0, sizeof letters - 1)];
      if (linkat (AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        {
          writer->tmp = g_steal_pointer (&name);
          return TRUE;
        }
      if (errno != EEXIST)
        break;
    }
  writer->saved_errno = errno;
  return FALSE;
}

/* The rename lives in the folder's entries: without this a power cut after
 * a "successful" save could bring back the old file. A folder that cannot
 * be synced (some file systems refuse fsync on one) keeps the rename all the
 * same, so a failure here is not the save's. */
static void
sync_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

gboolean
nns_file_writer_commit (NnsFileWriter *writer, GError **error)
{
  g_autoptr (NnsFileWriter) owned = writer;
  struct stat st;
  mode_t mode;

  g_return_val_if_fail (writer != NULL, FALSE);

  if (!flush (writer))
    goto failed;
  /* A file being replaced keeps its permissions, a new one gets the usual
   * umask ones rather than a temporary's 0600. */
  if (g_stat (writer->target, &st) == 0)
    mode = st.st_mode & 07777;
  else
    {
      mode_t mask = umask (0);

      umask (mask);
      mode = 0666 & ~mask;
    }
  if (fchmod (writer->fd, mode) != 0 || fsync (writer->fd) != 0)
    {
      writer->saved_errno = errno;
      goto failed;
    }
  /* Between linkat and rename a kill leaves the whole file under its hidden
   * name (for the next save to remove): nothing else happens in between. */
  if (writer->tmp == NULL && !link_unnamed (writer))
    goto failed;
  if (g_rename (writer->tmp, writer->target) != 0)
    {
      writer->saved_errno = errno;
      goto failed;
    }
  g_clear_pointer (&writer->tmp, g_free);
  sync_folder (writer->dir);
  /* The data are on disk already (fsync): closing cannot lose them. */
  close (writer->fd);
  writer->fd = -1;
  return TRUE;

failed:
  return fail (writer->path, writer->saved_errno != 0 ? writer->saved_errno : EIO, error);
}

gboolean
nns_file_write_atomic (const char *path, const void *data, gsize length, GError **error)
{
  NnsFileWriter *writer = nns_file_writer_new (path, error);

  if (writer == NULL)
    return FALSE;
  nns_file_writer_write (writer, data, length);
  return nns_file_writer_commit (writer, error);
}

char *
nns_file_read_stream (GInputStream *stream, const char *name, gsize *length, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[65536];

  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &local_error);

      if (n < 0)
        {
          g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                       local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (bytes->len + (gsize) n > NNS_FILE_READ_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("%s: larger than %u MB, too large for a network description"), name,
                       NNS_FILE_READ_MAX / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (bytes, buffer, n);
    }
  *length = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

char *
nns_file_read (GFile *file, gboolean regular_only, gsize *length, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *path = g_file_get_path (file);

  if (regular_only)
    {
      g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                      G_FILE_QUERY_INFO_NONE, NULL, &local_error);

      if (info == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                       local_error->message);
          return NULL;
        }
      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _("%s: not a regular file"), name);
          return NULL;
        }
    }
  if (path != NULL)
    {
      /* Local files by hand, for "NAME: No such file or directory" rather
       * than GIO's message that repeats the name. */
      g_autoptr (GInputStream) in = NULL;
      int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      struct stat st;

      if (fd >= 0 && fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
        {
          close (fd);
          fd = -1;
          errno = EISDIR;
        }
      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                       g_strerror (saved_errno));
          return NULL;
        }
      in = g_unix_input_stream_new (fd, TRUE);
      return nns_file_read_stream (in, name, length, error);
    }
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                   local_error->message);
      return NULL;
    }
  return nns_file_read_stream (G_INPUT_STREAM (stream), name, length, error);
}
