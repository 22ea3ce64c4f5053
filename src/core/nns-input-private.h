/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text checks every reader shares: refuses binary data and invalid UTF-8
 * (NNS_DOCUMENT_ERROR_NOT_TEXT, with the line). */
gboolean    _nns_input_check_text          (const char *data,
                                            gsize       length,
                                            GError    **error);
/* Skips a UTF-8 byte order mark and blank space; *rest is what is left. */
const char *_nns_input_skip_bom_and_space  (const char *data,
                                            gsize       length,
                                            gsize      *rest);

G_END_DECLS
