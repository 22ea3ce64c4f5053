/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "nns-file.h"

static gboolean
fail (const char *path, int saved_errno, GError **error)
{
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

gboolean
nns_file_write_atomic (const char *path, const void *data, gsize length, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  const char *p = data;
  struct stat st;
  mode_t mode;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (path[0] == '\0')
    return fail ("(empty file name)", ENOENT, error);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return fail (path, EISDIR, error);

  target = resolve_target (path);
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  /* Hidden and in the same folder so rename() is atomic. */
  tmp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return fail (path, errno, error);

  while (length > 0)
    {
      gssize written = write (fd, p, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        goto failed;
      p += written;
      length -= written;
    }
  /* mkstemp creates 0600: a file being replaced keeps its permissions, a
   * new one gets the usual umask ones. */
  if (g_stat (target, &st) == 0)
    mode = st.st_mode & 07777;
  else
    {
      mode_t mask = umask (0);

      umask (mask);
      mode = 0666 & ~mask;
    }
  if (fchmod (fd, mode) != 0)
    goto failed;
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_rename (tmp, target) != 0)
    goto failed;
  return TRUE;

failed:
  saved_errno = errno ? errno : EIO;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return fail (path, saved_errno, error);
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
