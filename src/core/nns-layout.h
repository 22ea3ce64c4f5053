/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* Where everything of the diagram goes: a pure function of network + style.
 * There is one layout for the window and every file: the canvas shows it
 * fitted or zoomed, and an export of any size scales it. Coordinates are in drawing units (px at
 * scale 1), origin at the top-left of the drawing, margins included.
 *
 * Columns: 0 is the input, c = i + 1 is dense layer i (as in
 * nns_network_get_column_width()). Neuron indices are the true 0-based index
 * within the layer, also for collapsed layers (where only some are drawn). */

typedef struct _NnsLayout NnsLayout;

typedef struct
{
  guint  column;
  guint  neuron;
  double x, y;       /* centre */
  double radius;
} NnsNode;

/* The natural layout. box_width / box_height (0: none) never change it: they
 * only set nns_layout_get_fit_scale(), the scale that shows it in that box. */
NnsLayout  *nns_layout_new             (NnsNetwork      *network,
                                        const NnsStyle  *style,
                                        double           box_width,
                                        double           box_height);
void        nns_layout_free            (NnsLayout       *layout);

double      nns_layout_get_width       (const NnsLayout *layout);
double      nns_layout_get_height      (const NnsLayout *layout);
guint       nns_layout_get_n_columns   (const NnsLayout *layout);
/* True width of the column (what the label says). */
guint       nns_layout_get_column_width (const NnsLayout *layout,
                                         guint            column);
/* How many neurons of the column are drawn. */
guint       nns_layout_get_n_drawn     (const NnsLayout *layout,
                                        guint            column);
gboolean    nns_layout_is_collapsed    (const NnsLayout *layout,
                                        guint            column);
/* The i-th drawn node of a column (0 … n_drawn - 1). */
void        nns_layout_get_drawn_node  (const NnsLayout *layout,
                                        guint            column,
                                        guint            i,
                                        NnsNode         *out);
/* The node of a true neuron index; FALSE if collapsing hides it. */
gboolean    nns_layout_get_node        (const NnsLayout *layout,
                                        guint            column,
                                        guint            neuron,
                                        NnsNode         *out);
/* The one hit test: which drawn neuron is under (x, y), if any. */
gboolean    nns_layout_hit_test        (const NnsLayout *layout,
                                        double           x,
                                        double           y,
                                        guint           *column,
                                        guint           *neuron);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsLayout, nns_layout_free)

/* ---- What the renderer, the canvas and the tests need to agree with the
 * layout. ---- */

/* The font family labels are measured and drawn with (cairo "toy" API). */
#define NNS_LAYOUT_FONT_FAMILY "Cantarell"

/* The natural size. Nodes keep the style's size while the longest column
 * fits NNS_LAYOUT_ALONG_MAX px; longer ones shrink down to these floors, and
 * past the floors the labels, gaps and margins grow by the text scale instead
 * (so the drawing reads as one of ALONG_MAX shown smaller). The columns then
 * spread until the drawing is NNS_LAYOUT_ASPECT times longer across the
 * columns than along them: landscape for left-to-right networks. */
#define NNS_LAYOUT_MIN_RADIUS 1.0
#define NNS_LAYOUT_MIN_STEP   2.5   /* centre to centre */
#define NNS_LAYOUT_ALONG_MAX  800.0
#define NNS_LAYOUT_ASPECT     (4.0 / 3.0)
/* A layer collapses only when it is wider than the collapse limit plus the
 * neurons the ellipsis takes the room of. */
#define NNS_LAYOUT_ELLIPSIS_ROOM 2
/* Empty space around everything, px. */
#define NNS_LAYOUT_MARGIN     16.0

NnsDirection nns_layout_get_direction  (const NnsLayout *layout);
/* Radius of every neuron, and centre-to-centre distance within a column. */
double      nns_layout_get_radius      (const NnsLayout *layout);
double      nns_layout_get_step        (const NnsLayout *layout);

/* A run of evenly spaced drawn neurons: true indices first … first + n - 1,
 * centres (x0 + k·dx, y0 + k·dy). A plain column is one group; a collapsed
 * one is two (the first and the last neurons) with the ellipsis between. */
typedef struct
{
  guint  first;
  guint  n;
  double x0, y0;
  double dx, dy;
} NnsNodeGroup;

guint       nns_layout_get_n_groups    (const NnsLayout *layout,
                                        guint            column);
void        nns_layout_get_group       (const NnsLayout *layout,
                                        guint            column,
                                        guint            group,
                                        NnsNodeGroup    *out);
/* Collapsed columns: the centre of the gap between the two groups and one
 * step along the column (for the dots). FALSE if the column is not collapsed. */
gboolean    nns_layout_get_ellipsis    (const NnsLayout *layout,
                                        guint            column,
                                        double          *x,
                                        double          *y,
                                        double          *dx,
                                        double          *dy);
/* The "+1" bias node drawn at the end of column c that feeds column c + 1
 * (style->show_bias_nodes and layer c has a bias). Its neuron field is the
 * column's width (one past the last neuron). The hit test ignores it. */
gboolean    nns_layout_get_bias_node   (const NnsLayout *layout,
                                        guint            column,
                                        NnsNode         *out);
/* The drawn nodes of a column in order, and its bias node last when
 * with_bias and it has one: an array of NnsNode for the edge drawing. */
GArray     *nns_layout_dup_column_nodes (const NnsLayout *layout,
                                         guint            column,
                                         gboolean         with_bias);

typedef enum
{
  NNS_LABEL_TITLE,       /* "Hidden 1" (or the layer's name), one or more lines per column */
  NNS_LABEL_PARAMS,      /* "380 params", one per dense layer */
  NNS_LABEL_TOTAL,       /* "683 parameters · 2.7 kB", one */
  NNS_LABEL_WIDTH,       /* "18", the column's true width, one per column */
  NNS_LABEL_ACTIVATION,  /* "ReLU", one per dense layer with an activation */
} NnsLabelKind;

typedef struct
{
  NnsLabelKind kind;
  guint        column;      /* TITLE, PARAMS */
  const char  *text;        /* owned by the layout */
  double       font_size;
  gboolean     bold;
  double       x, y;        /* where cairo_show_text starts: left end of the baseline */
  double       left, top;   /* box holding the text (ink and advance), inside the drawing */
  double       width, height;
} NnsLabel;

/* The labels, one line each, every one the style asks for (show_labels and
 * the per-kind show_titles … show_total): none is ever dropped for lack of
 * room. Above each column (left of it, top to bottom) stand its title lines,
 * its width and its activation; its params label below (right of it); the
 * total under everything. Titles wider than the column spacing (or 90 px)
 * wrap at spaces; when the lines still need more room than the spacing, every
 * other column's labels move one row out (staggered) if that is narrower, and
 * the columns spread as far as the labels need. Labels never overlap. */
guint       nns_layout_get_n_labels    (const NnsLayout *layout);
void        nns_layout_get_label       (const NnsLayout *layout,
                                        guint            index,
                                        NnsLabel        *out);

/* The scale that fits the drawing into the box given to nns_layout_new():
 * min (box_width / width, box_height / height) over the sides given; 1 with
 * no box. Export and canvas draw the layout scaled by it, centred. */
double      nns_layout_get_fit_scale   (const NnsLayout *layout);
/* Labels, label gaps and the margin relative to their nominal size (13 px
 * titles, 11 px params): 1 unless the columns are longer than ALONG_MAX at
 * the node floors (see above). */
double      nns_layout_get_text_scale  (const NnsLayout *layout);
/* The weight legend's box (style->weight_colors): below everything, centred;
 * n_rows rows of equal height, a heading and one per dense layer. */
#define NNS_LAYOUT_LEGEND_WIDTH 380.0
#define NNS_LAYOUT_LEGEND_ROW   16.0
gboolean    nns_layout_get_legend      (const NnsLayout *layout,
                                        double          *x,
                                        double          *y,
                                        double          *width,
                                        double          *height,
                                        guint           *n_rows);
/* Whether every other column's labels stand one row out. */
gboolean    nns_layout_is_staggered    (const NnsLayout *layout);

G_END_DECLS
