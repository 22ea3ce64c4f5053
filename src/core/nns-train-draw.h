/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "nns-width-sweep.h"

G_BEGIN_DECLS

/* The Train pane's drawings, in cairo (no GTK): loss and accuracy curves,
 * the 2-D decision surface with the data, one neuron's output as a tile,
 * and Compare widths' capacity plot. Each draws into (0, 0, width, height)
 * of cr's user space (the tile at x, y) and paints its own background;
 * text is cairo's toy text in NNS_LAYOUT_FONT_FAMILY. */

/* RGBA, 0 … 1, not premultiplied. */
typedef struct
{
  double fg[4], bg[4], grid[4], train[4], test[4], class0[4], class1[4];
} NnsTrainColors;

/* Okabe and Ito's colour-blind-safe palette: orange class 0, blue class 1,
 * blue train and vermillion (dark: orange) test lines; on white, or on
 * libadwaita's dark #242424. */
void nns_train_colors_init (NnsTrainColors *colors,
                            gboolean        dark);

typedef enum
{
  NNS_CURVES_LOG_Y   = 1 << 0,  /* a log y axis (for a loss); values ≤ 0 are skipped */
  NNS_CURVES_PERCENT = 1 << 1,  /* y tick labels as percentages of 1 (for an accuracy) */
} NnsCurvesFlags;

/* Loss or accuracy curves: x (NULL: 0 … n − 1) against train and test
 * (test may be NULL; a dashed line), n points each. A NaN is skipped (the
 * line joins its neighbours, so a test curve evaluated every k steps may
 * hold NaN between). y_min … y_max is the y range; y_min == y_max (or
 * either NaN) takes the data's range, rounded to the ticks. A title top
 * left, the legend "train"/"test" top right, above the plot; a few tick
 * labels on each axis. Many more points than pixels are thinned to each
 * pixel column's first, lowest, highest and last. */
void nns_train_draw_curves      (cairo_t              *cr,
                                 double                width,
                                 double                height,
                                 const NnsTrainColors *colors,
                                 const char           *title,
                                 const double         *x,
                                 const double         *train,
                                 const double         *test,
                                 guint                 n,
                                 double                y_min,
                                 double                y_max);
void nns_train_draw_curves_full (cairo_t              *cr,
                                 double                width,
                                 double                height,
                                 const NnsTrainColors *colors,
                                 const char           *title,
                                 const double         *x,
                                 const double         *train,
                                 const double         *test,
                                 guint                 n,
                                 double                y_min,
                                 double                y_max,
                                 NnsCurvesFlags        flags);
/* Where the curves (and the capacity plot) are plotted in a width × height
 * drawing: the rectangle inside the axes. */
void nns_train_get_plot_area    (double                width,
                                 double                height,
                                 cairo_rectangle_t    *area);

/* The 2-D decision surface over [x0, x1] × [y0, y1] filling width × height:
 * values res × res, each the probability of class 1 (0 … 1; NaN: the
 * background), row r column c at x = x0 + c (x1 − x0) / (res − 1),
 * y = y1 − r (y1 − y0) / (res − 1) (row 0 at the top; the grid
 * nns_train_surface_grid makes), as a heatmap blending class0 → bg →
 * class1 (at most 60 % of the class colour, so the dots stand out), scaled
 * bilinearly. Then the points (x n × 2, classes y: 0, else class 1) as dots
 * of their class colour with an fg outline, test points hollow (a ring);
 * a point with a NaN coordinate is skipped. values may be NULL (background
 * only). On an image or recording surface each dot is a copy of one dot
 * image drawn at the device's scale (a recording's: 2), ~10× faster than
 * paths; PDF and SVG get paths. */
void nns_train_draw_surface     (cairo_t              *cr,
                                 double                width,
                                 double                height,
                                 const NnsTrainColors *colors,
                                 const float          *values,
                                 guint                 res,
                                 double                x0,
                                 double                x1,
                                 double                y0,
                                 double                y1,
                                 const float          *train_x,
                                 const guint8         *train_y,
                                 guint                 n_train,
                                 const float          *test_x,
                                 const guint8         *test_y,
                                 guint                 n_test);
/* The inputs of a res × res surface (or tile), for nns_trainer_forward:
 * xy gets res × res pairs (x, y), row-major, row 0 at y1. */
void nns_train_surface_grid     (guint                 res,
                                 double                x0,
                                 double                x1,
                                 double                y0,
                                 double                y1,
                                 float                *xy);
/* Where the surface draws the point (x, y). */
void nns_train_surface_to_pixel (double                width,
                                 double                height,
                                 double                x0,
                                 double                x1,
                                 double                y0,
                                 double                y1,
                                 double                x,
                                 double                y,
                                 double               *px,
                                 double               *py);

/* A small heatmap tile of one neuron's output over the grid (values
 * res × res as in the surface, any range), size × size at (x, y): the full
 * diverging palette class0 (negative) / bg (0) / class1 (positive),
 * symmetric around 0 and scaled by the largest |v| (all 0 or NaN: bg), in a
 * one-pixel grid-coloured frame. */
void nns_train_draw_tile        (cairo_t              *cr,
                                 double                x,
                                 double                y,
                                 double                size,
                                 const NnsTrainColors *colors,
                                 const float          *values,
                                 guint                 res);

/* Capacity: train (filled dots, solid line) and test (squares, dashed)
 * accuracy (0 … 1) against the parameter count on a log x axis, one marker
 * per width labelled with the width, the train–test gap shaded; results
 * in any order (drawn by n_params). A result with n_params 0 or a NaN
 * accuracy is left out. */
void nns_train_draw_capacity    (cairo_t              *cr,
                                 double                width,
                                 double                height,
                                 const NnsTrainColors *colors,
                                 const NnsWidthResult *results,
                                 guint                 n);

G_END_DECLS
