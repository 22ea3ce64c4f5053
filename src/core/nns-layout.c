/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder: filled in by its issue. */
