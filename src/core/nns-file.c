/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "nns-file.h"

static gboolean
fail (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
nns_file_write_atomic (const char *path, const void *data, gsize length, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  const char *p = data;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (path[0] == '\0')
    return fail ("(empty file name)", ENOENT, error);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return fail (path, EISDIR, error);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
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
  /* mkstemp creates 0600; give the file the usual umask permissions. */
  {
    mode_t mask = umask (0);

    umask (mask);
    if (fchmod (fd, 0666 & ~mask) != 0)
      goto failed;
  }
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_rename (tmp, path) != 0)
    goto failed;
  return TRUE;

failed:
  saved_errno = errno ? errno : EIO;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return fail (path, saved_errno, error);
}
