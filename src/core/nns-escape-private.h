/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends text in double quotes with ", \, newline, tab and return escaped
 * by backslash, and other control characters by control_format (a printf
 * format for one byte: "\\u%04x" for JSON, "\\x%02x" for Python). */
void _nns_string_append_quoted (GString    *out,
                                const char *text,
                                const char *control_format);

G_END_DECLS
