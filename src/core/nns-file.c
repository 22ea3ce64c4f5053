/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
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
