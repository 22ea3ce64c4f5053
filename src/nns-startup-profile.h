/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-canvas.h"

G_BEGIN_DECLS

/* canvas drew its first frame: with NNS_PROFILE set, prints
 * "nns-profile: first-frame-ms=… rss-kb=… renders=… size=WxH" once that frame
 * is painted, and with NNS_PROFILE=quit then quits. */
void nns_startup_profile_first_frame (NnsCanvas *canvas);

G_END_DECLS
