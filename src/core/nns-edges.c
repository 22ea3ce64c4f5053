/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-edges"

#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nns-edges.h"
#include "nns-pixel-mask.h"

/* How the fast path works.
 *
 * All edges of a bundle share colour and opacity a, so with OVER the result
 * in a pixel is 1 − Π(1 − a·c_e), where c_e is how much of the pixel edge e
 * covers. The work is done one pixel column at a time (for bundles whose
 * columns of neurons are vertical in device space; horizontal ones are the
 * same with the axes swapped). At column x = X0 + t·(X1 − X0) edge (i, j)
 * crosses at y = (1−t)(P0 + i·S0) + t(P1 + j·S1): a lattice of two evenly
 * spaced combs added together. Each crossing is a band of vertical thickness
 * w' = w·√(1 + slope²) and its pixel coverage is the overlap of that band with
 * the pixel row.
 *
 * - Where the lattice is sparse (few crossings per pixel) every crossing is
 *   deposited exactly and the transmittance Π(1 − a·c_e) is kept per pixel:
 *   this matches per-edge stroking up to antialiasing details.
 * - Where it is dense, a comb whose spacing is below the pixel filter's width
 *   is replaced by its average (a box of density 1/spacing); two such combs
 *   added give a trapezoid. Their coverage K = Σ c_e is then a piecewise
 *   polynomial of the row that is linear away from the breakpoints, kept as a
 *   second difference array (O(1) per breakpoint) plus a few exact pixels
 *   around each breakpoint, and the pixel gets 1 − (1 − a)^K. Pixels are only
 *   computed inside the clip, so a zoomed-in canvas costs what it shows.
 *
 * The bundle is split into blocks of similar slope; in each block an edge's
 * band thickness is taken as linear in its slope (a tilt along each comb's
 * box, which adds parabolas, kept as third differences, to the ramps), so
 * neighbouring blocks meet without a step in the shading, and the blocks'
 * shared corners are deposited once. The result is an A8 mask painted with
 * the colour. */

#define EXACT_DENSITY  1.5     /* crossings per pixel row below which a column is exact */
#define EXACT_ALWAYS   256     /* edges: cheap enough to be exact everywhere */
#define MAX_SLOPE_SPREAD 0.35  /* per block, so a band thickness linear in the slope
                                * serves the block */
#define MAX_BLOCKS     24
#define BOX_EPSILON    0.05    /* px: boxes shorter than this are points */
#define LUT_SCALE      256.0
#define LUT_SIZE       4096    /* 1 − e^{−x} for x < 16 */

/* Vector targets draw real lines up to this many edges, and rasterise beyond. */
#define VECTOR_MAX_EDGES     4096
#define RECORDING_MAX_EDGES  1500
/* The fast path approximates butt caps; tiny bundles with odd geometry are
 * cheaper drawn exactly. */
#define NAIVE_FALLBACK_EDGES 20000

/* -1: follow NNS_NAIVE_EDGES; 0 / 1: set by nns_edges_set_force_naive() */
static gint naive_override = -1;

static gboolean
force_naive (void)
{
  static gsize init = 0;
  static gboolean naive_env = FALSE;
  gint over = g_atomic_int_get (&naive_override);

  if (over >= 0)
    return over;
  if (g_once_init_enter (&init))
    {
      const char *env = g_getenv ("NNS_NAIVE_EDGES");

      naive_env = env != NULL && env[0] != '\0' && g_strcmp0 (env, "0") != 0;
      g_once_init_leave (&init, 1);
    }
  return naive_env;
}

void
nns_edges_set_force_naive (gboolean naive)
{
  g_atomic_int_set (&naive_override, naive ? 1 : 0);
}

static const guint8 *
alpha_lut (void)
{
  static gsize init = 0;
  static guint8 lut[LUT_SIZE];

  if (g_once_init_enter (&init))
    {
      for (guint k = 0; k < LUT_SIZE; k++)
        lut[k] = (guint8) floor (255.0 * (1.0 - exp (-(double) k / LUT_SCALE)) + 0.5);
      g_once_init_leave (&init, 1);
    }
  return lut;
}

/* --- the reference -------------------------------------------------------- */

void
nns_edges_draw_bundle_naive (cairo_t             *cr,
                             const NnsEdgeBundle *bundle)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (bundle != NULL);

  if (bundle->n0 == 0 || bundle->n1 == 0 || !(bundle->line_width > 0))
    return;

  cairo_save (cr);
  cairo_set_source_rgba (cr, bundle->color.red, bundle->color.green, bundle->color.blue,
                         bundle->color.alpha);
  cairo_set_line_width (cr, bundle->line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_new_path (cr);
  for (guint i = 0; i < bundle->n0; i++)
    {
      double xa = bundle->x0 + i * bundle->dx0;
      double ya = bundle->y0 + i * bundle->dy0;

      for (guint j = 0; j < bundle->n1; j++)
        {
          cairo_move_to (cr, xa, ya);
          cairo_line_to (cr, bundle->x1 + j * bundle->dx1, bundle->y1 + j * bundle->dy1);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* --- the fast path on image surfaces ------------------------------------- */

/* A bundle in pixel space, "major" along the edges, "minor" across. */
typedef struct
{
  double   X0, X1;          /* X0 < X1 */
  double   P0, S0;
  guint    n0;
  double   P1, S1;
  guint    n1;
  double   width;           /* user units */
  double   s_major, s_minor;/* pixels per user unit along each axis */
  double   alpha;
  gboolean transposed;      /* major is the device y axis */
  double   m_max;           /* steepest |slope| */
  double   hmax;            /* widest band half thickness across, px */
  double   ext;             /* how far butt caps reach past the ends, px */
} Job;

typedef struct
{
  guint  ib, ie, jb, je;
  guint  a, b;              /* its place in the grid of blocks */
  double h;                 /* half the band's thickness across, px */
  double g;                 /* dh / d slope over the block: its edges' thickness
                             * follows their slope, so neighbouring blocks meet
                             * without a step (a seam) in the shading */
} Block;

/* Per source, its targets [jb, je) whose crossings can touch a column,
 * and where the first is centred (y): arrays, for a loop the compiler can
 * vectorise (column_sources()). */
typedef struct
{
  double *y;
  gint32 *jb, *je;
} SourceRanges;

/* One pixel column's accumulators over rows [r0, r1). */
typedef struct
{
  int     r0, r1;
  double *d2;               /* second differences of the linear part of K */
  double *d3;               /* third differences of its quadratic part */
  double *loc;              /* exact corrections near breakpoints */
  double *trans;            /* exact columns: Π (1 − a·c), indexed from wbase, kept at 1
                             * except for the rows listed in touched */
  int     wbase, n_rows;    /* the rows of the clip: [wbase, wbase + n_rows) */
  guint16 *ptrans;          /* profiled columns but thick: T_ONE·Π (1 − a·c) of row r at
                             * r − wbase + PROFILE_PAD, PROFILE_PAD rows of margin
                             * either side, kept at T_ONE */
  int    *touched;
  int     n_touched;
  gint32 *runs;             /* counts per row, as differences from the row above,
                             * indexed from wbase with PROFILE_PAD rows of margin
                             * either side, kept at 0: computed columns count the
                             * bands covering a row whole (+1 where a band's whole
                             * rows start, −1 past them; used in [run_lo, run_hi]),
                             * thick profiles a row's quanta of depth */
  int     run_lo, run_hi;
  gboolean has_d3;          /* a parabola went into d3 (else it is all 0) */
  int      d3_len;          /* … over this many entries */
  SourceRanges sources;     /* profiled columns: per source, its targets */
  const double *edge_h;     /* per edge (i·n1 + j): band half thickness, |slope|; */
  const double *edge_m;     /* NULL when the bundle is too big to tabulate */
} Column;

/* Crossing profiles. In a column inside the bundle (a whole pixel wide) an
 * edge's crossing always has the same band thickness and smear, so the
 * factor (1 − a·coverage) it gives each row depends only on where its
 * centre falls within a pixel: tabulated at PROFILE_PHASES positions (the
 * centre off by at most 1/128 px), a crossing costs one multiply a row.
 * Rows and factors are 16-bit fixed point, so a crossing of 16 rows is one
 * vector multiply (two without AVX2): a row's transmission t is held as
 * T = 65535·t, a factor as its deficit D = 65536·a·c, and a crossing takes
 * T − ⌊T·D / 65536⌋. Padding (D = 0) leaves T exact; each real factor
 * leaves T at most one unit (1/257 of a grey level) light.
 * Thickness and smear depend on the edge's |slope| alone, so the tables are
 * kept per class of edges: one per distinct |slope| (between layers of equal
 * spacing slopes repeat along the diagonals: a 16 × 16 bundle has at most
 * 31), or, when there are fewer, one per
 * step of PROFILE_SLOPE_STEP in |slope| (an edge's smear then off by at most
 * 1/512 px, a row's coverage by at most 0.0028: under a level of grey for
 * an opaque edge, and less than the centre's rounding does).
 * Every crossing's table has the same number of rows (8, 16 or 32), padded
 * with deficits of 0, so a crossing is a fixed run of vector multiplies
 * without a branch, into a column with PROFILE_PAD rows of margin each side
 * (a crossing near the clip lands partly in the margin, which is dropped).
 * Thicker bands (a view zoomed far in) are "thick" profiles, added up as
 * optical depth: a row's transmission Π (1 − a·c) is e^(−τ), τ the sum of
 * −ln (1 − a·c) over the bands on it, exact for any opacity. Depth is
 * counted in integer quanta, unit of them for a row covered whole, so a
 * band's depth down the column is 0, its top end's partial rows, unit for
 * every row between, its bottom end's partial rows, 0: as steps from row to
 * row, nonzero only at its two ends. A crossing adds its ends' steps (8
 * rows each: the smear is under THICK_END_ROWS − 2 rows) into the column,
 * one vector add each, and the rows take the running sum of the steps,
 * their depth, to a mask byte through a table. */
#define PROFILE_PHASE_BITS 6
#define PROFILE_PHASES     (1 << PROFILE_PHASE_BITS)
#define PROFILE_MAX_ENTRIES (1 << 21)  /* 4 MB (thick: 8): beyond, crossings are computed */
#define PROFILE_PAD        40
#define PROFILE_MAX_ROWS   32         /* thicker bands (a view zoomed far in): in two ends */
#define THICK_END_ROWS     8
#define THICK_INK_MAX      8192       /* entries of a thick table's mask bytes */
#define PROFILE_SLOPE_STEP (1.0 / 128)
/* Bundles of more edges (MNIST's) are dense nearly everywhere: a table and
 * its class map would be memory churned every frame for a few columns. */
#define PROFILE_MAX_EDGES  (1 << 15)

#define T_ONE 65535         /* a profiled row's transmission of 1 */

/* What a job's profiles depend on: the edges' slopes, thickness and opacity. */
typedef struct
{
  double n0, n1, S0, S1, dP, D, width, s_major, s_minor, alpha, hmax, m_max;
} ProfileShape;

typedef struct
{
  gint     ref;
  ProfileShape shape;
  guint16 *f;               /* [class][phase][k]: deficit of row top + k,
                             * top = ⌊y⌋ − reach */
  int      reach, rows;     /* rows: 8, 16 or 32, at least 2·reach + 1 */
  gboolean thick;           /* bands of more rows (a view zoomed far in), as depth:
                             * rows = 16, f unused */
  gint32  *steps;           /* thick: [class][phase][k], the steps of depth from row
                             * end + k − 1 to end + k, the top end's (k < 8, summing
                             * to +unit) then the bottom end's (summing to −unit) */
  gint16  *ends;            /* thick: per class and phase, each end's first row
                             * relative to ⌊y⌋ */
  int      end_lo, end_hi;  /* thick: the least top end, the greatest bottom end */
  int      unit;            /* thick: quanta of depth of a row covered whole */
  guint8  *ink;             /* thick: the mask byte of a row of depth n < n_ink (255 on) */
  guint    n_ink;
  guint32 *offset;          /* per edge (i·n1 + j): where its class's tables start
                             * in f or steps (class · PROFILE_PHASES · rows) */
  guint    n_classes;
  double  *class_h, *class_d; /* per class: band half thickness, half its smear */
} Profiles;

static inline void
trans_mul (Column *col, int r, double f)
{
  double *t = &col->trans[r - col->wbase];

  if (f >= 1.0)
    return;
  if (*t == 1.0)
    col->touched[col->n_touched++] = r;
  *t *= f;
}

static inline double
band_half (const Job *job,
           double     slope)
{
  double mu = slope * job->s_major / job->s_minor;

  return 0.5 * job->s_minor * job->width * sqrt (1.0 + mu * mu);
}

static inline double
clampd (double v, double lo, double hi)
{
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Cumulative integrals of a band of half width h centred on 0. */
static inline double
c1 (double u, double h)
{
  return clampd (u + h, 0, 2 * h);
}

static inline double
c2 (double u, double h)
{
  if (u <= -h)
    return 0;
  if (u <= h)
    return (u + h) * (u + h) / 2;
  return 2 * h * u;
}

static inline double
c3 (double u, double h)
{
  if (u <= -h)
    return 0;
  if (u <= h)
    return (u + h) * (u + h) * (u + h) / 6;
  return h * u * u + h * h * h / 3;
}

/* First row index > q, clamped to the column; r1 if none. */
static inline int
first_after (const Column *col, double q)
{
  if (q < col->r0)
    return col->r0;
  if (q >= col->r1)
    return col->r1;
  return (int) floor (q) + 1;
}

/* Rows whose u = r − q lies in [lo, hi], clamped. */
static inline void
row_window (const Column *col, double q, double lo, double hi, int *a, int *b)
{
  double ra = ceil (q + lo), rb = floor (q + hi);

  *a = ra < col->r0 ? col->r0 : (int) MIN (ra, (double) col->r1);
  *b = rb >= col->r1 ? col->r1 - 1 : (int) MAX (rb, (double) col->r0 - 1);
}

/* K += mass × (pixel coverage of a band centred at y). */
static void
dep_point (Column *col, double y, double h, double mass)
{
  int a, b;

  row_window (col, y, -h - 1, h, &a, &b);
  for (int r = a; r <= b; r++)
    col->loc[r - col->r0] += mass * (c1 (r + 1 - y, h) - c1 (r - y, h));
}

/* k0·c2 + k1·c3 + k2·c4 at u, in one pass over the band's three pieces. */
static inline double
cover_integral (double u, double h, double k0, double k1, double k2)
{
  if (u <= -h)
    return 0;
  if (u <= h)
    {
      double v = u + h, v2 = v * v;

      return v2 * (k0 / 2 + v * (k1 / 6 + v * k2 / 24));
    }
  return k0 * 2 * h * u + k1 * (h * u * u + h * h * h / 3)
         + k2 * (h * u * u * u / 3 + h * h * h * u / 3);
}

/* K += coverage of a density k0·H(y − q) + k1·(y − q)₊ + k2·(y − q)₊² / 2
 * (a step, a ramp and a parabola that start at q), in one pass over the
 * rows near q. Away from q a row holds 2h·(k0 + k1·y_c + k2·(y_c² + σ²) / 2),
 * y_c its centre less q and σ² the variance of the row and the band
 * (1/12 + h²/3): the constant and linear part kept as second differences,
 * the quadratic as third differences, from the first row past q; the rows
 * near q get exact corrections. */
static void
dep_poly (Column *col, double q, double h, double k0, double k1, double k2)
{
  double w = 2 * h, var = 1.0 / 12 + h * h / 3;
  int s = first_after (col, q - 0.5), a, b;

  if (s < col->r1)
    {
      double g = s - (q - 0.5);

      col->d2[s - col->r0] += w * (k0 + k1 * g);
      col->d2[s - col->r0 + 1] += w * (k1 * (1 - g) - k0);
      if (k2 != 0)
        {
          double f[3];

          col->has_d3 = TRUE;
          for (int k = 0; k < 3; k++)
            {
              double yc = s + k + 0.5 - q;

              f[k] = w * k2 * (yc * yc + var) / 2;
            }
          /* (a quadratic's later third differences are 0) */
          col->d3[s - col->r0] += f[0];
          col->d3[s - col->r0 + 1] += f[1] - 3 * f[0];
          col->d3[s - col->r0 + 2] += f[2] - 3 * f[1] + 3 * f[0];
        }
    }
  row_window (col, q, -h - 1, h, &a, &b);
  if (a > b)
    return;
  {
    /* the exact coverage of row r is G(r + 1 − q) − G(r − q) */
    double G0 = cover_integral (a - q, h, k0, k1, k2);

    for (int r = a; r <= b; r++)
      {
        double u = r - q, yc = u + 0.5;
        double G1 = cover_integral (u + 1, h, k0, k1, k2);
        double modelled = r >= s ? w * (k0 + k1 * yc + k2 * (yc * yc + var) / 2) : 0;

        col->loc[r - col->r0] += G1 - G0 - modelled;
        G0 = G1;
      }
  }
}

/* cover_integral() with k2 = 0, the arithmetic the same term for term. */
static inline double
linear_integral (double u, double h, double k0, double k1)
{
  if (u <= -h)
    return 0;
  if (u <= h)
    {
      double v = u + h, v2 = v * v;

      return v2 * (k0 / 2 + v * (k1 / 6));
    }
  return k0 * 2 * h * u + k1 * (h * u * u + h * h * h / 3);
}

/* dep_poly() without the parabola (k2 = 0), the arithmetic the same term
 * for term: a box's two ends (a fan of a coarse point, dep_trapezoid()),
 * most of a dense column's deposits next to a column of neurons. */
static void
dep_linear (Column *col, double q, double h, double k0, double k1)
{
  double w = 2 * h;
  int s = first_after (col, q - 0.5), a, b;

  if (s < col->r1)
    {
      double g = s - (q - 0.5);

      col->d2[s - col->r0] += w * (k0 + k1 * g);
      col->d2[s - col->r0 + 1] += w * (k1 * (1 - g) - k0);
    }
  row_window (col, q, -h - 1, h, &a, &b);
  if (a > b)
    return;
  {
    /* the exact coverage of row r is G(r + 1 − q) − G(r − q) */
    double G0 = linear_integral (a - q, h, k0, k1);

    for (int r = a; r <= b; r++)
      {
        double u = r - q, yc = u + 0.5;
        double G1 = linear_integral (u + 1, h, k0, k1);

        col->loc[r - col->r0] += G1 - G0 - (r >= s ? w * (k0 + k1 * yc) : 0);
        G0 = G1;
      }
  }
}

/* What the blocks that meet at one place deposit there: their steps, ramps
 * and parabolas, each weighted by its block's band thickness (2h). */
typedef struct
{
  double k0, k1, k2;
  double hs;                /* Σ h */
  guint  n;                 /* blocks */
} Corner;

/* The corners of one pixel column: kind 0 (trapezoids), 1 (b's box a
 * point), 2 (a's box a point) × the grid's corners; kept at 0 but for the
 * touched ones, listed in order. */
#define CORNERS_N (MAX_BLOCKS + 1)
typedef struct
{
  Corner table[3 * CORNERS_N * CORNERS_N];
  guint  touched[3 * CORNERS_N * CORNERS_N];
  guint  n_touched;
} Corners;

static inline void
corner_add (Corners *corners, guint kind, guint a, guint b, double h, double k0, double k1,
            double k2)
{
  guint idx = (kind * CORNERS_N + a) * CORNERS_N + b;
  Corner *c = &corners->table[idx];

  if (c->n == 0)
    corners->touched[corners->n_touched++] = idx;
  c->k0 += 2 * h * k0;
  c->k1 += 2 * h * k1;
  c->k2 += 2 * h * k2;
  c->hs += h;
  c->n++;
}

/* The ramps and parabolas of dep_trapezoid() with both boxes long, at its
 * four corners: q, q + La, q + Lb, q + La + Lb. */
static void
trapezoid_corners (double La, double Lb, double mass, double h, double g_a, double g_b,
                   double k1[4], double k2[4])
{
  double rho = mass / (La * Lb);
  double ca = g_a * rho / h, cb = g_b * rho / h;
  double ta = ca * La / 2, tb = cb * Lb / 2;

  k1[0] = rho - ta - tb, k2[0] = ca + cb;
  k1[1] = -rho - ta + tb, k2[1] = -ca - cb;
  k1[2] = -rho + ta - tb, k2[2] = -ca - cb;
  k1[3] = rho + ta + tb, k2[3] = ca + cb;
}

/* K += mass spread as box(La) ⊛ box(Lb), starting at q, its edges' band
 * thickness 2·(h + g_a·(y_a − c_a) + g_b·(y_b − c_b)) where y_a, y_b are
 * their places in the two boxes and c_a, c_b the boxes' centres: the
 * thickness follows the edges' slope across a block, so that neighbouring
 * blocks meet without a step. (The tilt along a box shorter than
 * BOX_EPSILON is left out: its edges meet at one place.) */
static void
dep_trapezoid (Column *col, double q, double La, double Lb, double mass, double h, double g_a,
               double g_b)
{
  if (La < BOX_EPSILON && Lb < BOX_EPSILON)
    dep_point (col, q + (La + Lb) / 2, h, mass);
  else if (La < BOX_EPSILON || Lb < BOX_EPSILON)
    {
      /* a box and a point: the density is a box, the tilt a linear
       * weight over it: (y − c)·box = R(y) − R(y − L) − L/2·(H(y) + H(y − L)) */
      double L = MAX (La, Lb), off = MIN (La, Lb) / 2;
      double tilt = (La >= BOX_EPSILON ? g_a : g_b) * mass / (L * h);

      dep_linear (col, q + off, h, mass / L - tilt * L / 2, tilt);
      dep_linear (col, q + off + L, h, -mass / L - tilt * L / 2, -tilt);
    }
  else
    {
      double k1[4], k2[4];

      trapezoid_corners (La, Lb, mass, h, g_a, g_b, k1, k2);
      dep_poly (col, q, h, 0, k1[0], k2[0]);
      dep_poly (col, q + La, h, 0, k1[1], k2[1]);
      dep_poly (col, q + Lb, h, 0, k1[2], k2[2]);
      dep_poly (col, q + La + Lb, h, 0, k1[3], k2[3]);
    }
}

/* A comb of n points from p with spacing s, as a box: start and length. */
static inline void
comb_box (double p, double s, guint n, double *start, double *len)
{
  if (s < 0)
    {
      p += (n - 1) * s;
      s = -s;
    }
  if (n <= 1)
    {
      *start = p;
      *len = 0;
    }
  else
    {
      *start = p - s / 2;
      *len = n * s;
    }
}

/* Area of pixel rows [r, r+1) covered by a band of half thickness h whose
 * centre runs from y − d to y + d across the column (d = |slope|·width / 2),
 * times the column's width fx: the band's exact area, caps aside. */
static inline double
band_area (double r, double y, double h, double d, double fx)
{
  if (d < 1e-6)
    return fx * (c1 (r + 1 - y, h) - c1 (r - y, h));
  return fx / (2 * d) * (c2 (r + 1 - y + d, h) - c2 (r + 1 - y - d, h)
                         - c2 (r - y + d, h) + c2 (r - y - d, h));
}

static void
profiles_unref (Profiles *pr)
{
  if (pr != NULL && g_atomic_int_dec_and_test (&pr->ref))
    {
      g_free (pr->f);
      g_free (pr->steps);
      g_free (pr->ends);
      g_free (pr->ink);
      g_free (pr->offset);
      g_free (pr->class_h);
      g_free (pr->class_d);
      g_free (pr);
    }
}

static void
shape_of (const Job *job, ProfileShape *sh)
{
  *sh = (ProfileShape) { job->n0, job->n1, job->S0, job->S1, job->P1 - job->P0, job->X1 - job->X0,
                         job->width, job->s_major, job->s_minor, job->alpha, job->hmax,
                         job->m_max };
}

/* Equal up to rounding: bundles of one network at other places differ in
 * the last bits, and their profiles by far less than a level of grey. */
static gboolean
shape_equal (const ProfileShape *a, const ProfileShape *b)
{
  const double *x = (const double *) a, *y = (const double *) b;

  for (guint k = 0; k < sizeof (ProfileShape) / sizeof (double); k++)
    if (!(fabs (x[k] - y[k]) <= 1e-9 * MAX (1.0, fabs (x[k]))))
      return FALSE;
  return TRUE;
}

/* Edges whose |slope| agrees to within SLOPE_SAME share a class: their
 * crossings differ by far less than a level of grey (the same slope at two
 * places of a bundle differs in the last bits). */
#define SLOPE_SAME 1e-9

/* The job's edges sorted into classes of profiles: per edge (i·n1 + j) its
 * class, per class the band's half thickness and half its smear. */
typedef struct
{
  guint16 *cls;
  double  *h, *d;
  guint    n;
} SlopeClasses;

static void
slope_classes_clear (SlopeClasses *sc)
{
  g_clear_pointer (&sc->cls, g_free);
  g_clear_pointer (&sc->h, g_free);
  g_clear_pointer (&sc->d, g_free);
  sc->n = 0;
}

/* One class per distinct |slope| (edge_m) — between layers of equal
 * spacing the slopes repeat along the diagonals, so a 16 × 16 bundle has
 * at most 31 —, or one per PROFILE_SLOPE_STEP of |slope| when that makes
 * fewer. */
static void
slope_classes (const Job *job, const double *edge_m, SlopeClasses *sc)
{
  gsize n = (gsize) job->n0 * job->n1, size = 2;
  double steps = floor (job->m_max / PROFILE_SLOPE_STEP + 0.5) + 1;
  g_autofree gint64 *key = NULL;
  g_autofree guint16 *val = NULL;
  guint distinct = 0;

  sc->cls = g_new (guint16, n);
  if (job->m_max / SLOPE_SAME < 1e15)
    {
      /* open addressing on the rounded |slope| */
      while (size < 2 * n)
        size *= 2;
      key = g_new (gint64, size);
      val = g_new (guint16, size);
      memset (key, 0xff, sizeof (gint64) * size);
      for (gsize e = 0; e < n && distinct < steps; e++)
        {
          gint64 k = (gint64) floor (edge_m[e] / SLOPE_SAME + 0.5);
          gsize slot = (gsize) ((guint64) k * 0x9E3779B97F4A7C15u >> 17) & (size - 1);

          while (key[slot] != -1 && key[slot] != k)
            slot = (slot + 1) & (size - 1);
          if (key[slot] == -1)
            {
              key[slot] = k;
              val[slot] = (guint16) distinct++;
            }
          sc->cls[e] = val[slot];
        }
    }
  if (key != NULL && distinct < steps)
    {
      sc->n = distinct;
      sc->h = g_new (double, distinct);
      sc->d = g_new (double, distinct);
      for (gsize e = 0; e < n; e++)
        {
          sc->h[sc->cls[e]] = band_half (job, edge_m[e]);
          sc->d[sc->cls[e]] = edge_m[e] / 2;
        }
      return;
    }
  sc->n = (guint) steps;
  sc->h = g_new (double, sc->n);
  sc->d = g_new (double, sc->n);
  /* (the last step held to the steepest edge: no class is wider than
   * hmax, which bounds the tables' rows) */
  for (guint k = 0; k < sc->n; k++)
    {
      double m = MIN (k * PROFILE_SLOPE_STEP, job->m_max);

      sc->h[k] = band_half (job, m);
      sc->d[k] = m / 2;
    }
  for (gsize e = 0; e < n; e++)
    sc->cls[e] = (guint16) MIN (floor (edge_m[e] / PROFILE_SLOPE_STEP + 0.5), sc->n - 1);
}

/* The largest opacity drawn as depth: 1 − a·c for a = 1 is 0 at c = 1, of
 * infinite depth; at this opacity a row covered whole rounds to a byte of
 * 255 all the same, and a partial row's factor is off by under 1/4096. */
#define DEPTH_MAX_ALPHA (1.0 - 1.0 / 4096)

/* −ln (1 − a): the depth of a row covered whole. */
static inline double
row_depth (const Job *job)
{
  return -log1p (-MIN (job->alpha, DEPTH_MAX_ALPHA));
}

/* Thick profiles' quantum of depth and the mask byte of each depth,
 * 255 − round (255·e^(−τ)), up to where it is 255 (or past the most any
 * row can take: every edge's band over it whole). The quantum is as fine
 * as THICK_INK_MAX entries allow: at least 1/1300 of the depth where a byte
 * is 255, so that rounding a partial row's depth to it changes its factor
 * by under 1/2600. */
static void
thick_ink (const Job *job, Profiles *pr)
{
  double l = row_depth (job);
  double rows = log (2.0 * 255) / l;          /* rows covered whole to a byte of 255 */
  double most = (double) job->n0 * job->n1;

  pr->unit = (int) MAX (floor ((THICK_INK_MAX - 2) / rows), 1);
  pr->n_ink = (guint) MIN (ceil (rows * pr->unit), most * pr->unit) + 1;
  pr->ink = g_new (guint8, pr->n_ink);
  for (guint n = 0; n < pr->n_ink; n++)
    pr->ink[n] = (guint8) CLAMP (255 - floor (255 * exp (-l * n / pr->unit) + 0.5), 0, 255);
}

/* New profiles for the job's edges in classes sc (taken; profiles_fill()
 * fills them in); NULL when the table would be too large. */
static Profiles *
profiles_new (const Job *job, SlopeClasses *sc)
{
  int reach = (int) ceil (job->hmax + job->m_max / 2) + 1;
  gboolean thick = 2 * reach + 1 > PROFILE_MAX_ROWS;
  int rows = thick ? 2 * THICK_END_ROWS : 2 * reach + 1 <= 8 ? 8 : 2 * reach + 1 <= 16 ? 16 : 32;
  Profiles *pr;

  gboolean fits = sc->cls != NULL && (double) sc->n * PROFILE_PHASES * rows <= PROFILE_MAX_ENTRIES;

  /* A thick band's two ends: each's partial rows, fewer than 2·d + 2 with
   * d = m / 2, and the step past them within THICK_END_ROWS; and a row
   * whole between them (h − d ≥ 1). */
  if (thick)
    {
      fits = fits && job->m_max + 2 <= THICK_END_ROWS && job->hmax <= 8192 && job->alpha > 0;
      for (guint e = 0; fits && e < sc->n; e++)
        fits = sc->h[e] - sc->d[e] >= 1;
    }
  if (!fits)
    {
      slope_classes_clear (sc);
      return NULL;
    }
  pr = g_new0 (Profiles, 1);
  pr->ref = 1;
  shape_of (job, &pr->shape);
  pr->reach = reach;
  pr->rows = rows;
  pr->thick = thick;
  pr->n_classes = sc->n;
  if (thick)
    {
      pr->steps = g_new (gint32, (gsize) sc->n * PROFILE_PHASES * rows);
      pr->ends = g_new (gint16, (gsize) sc->n * PROFILE_PHASES * 2);
      pr->end_lo = (int) floor (-job->hmax - job->m_max / 2) - 1;
      pr->end_hi = (int) ceil (job->hmax + job->m_max / 2) + 1 + THICK_END_ROWS;
      thick_ink (job, pr);
    }
  else
    pr->f = g_new (guint16, (gsize) sc->n * PROFILE_PHASES * rows);
  {
    gsize n_edges = (gsize) job->n0 * job->n1;

    pr->offset = g_new (guint32, n_edges);
    for (gsize e = 0; e < n_edges; e++)
      pr->offset[e] = (guint32) sc->cls[e] * PROFILE_PHASES * rows;
    g_clear_pointer (&sc->cls, g_free);
  }
  pr->class_h = g_steal_pointer (&sc->h);
  pr->class_d = g_steal_pointer (&sc->d);
  sc->n = 0;
  return pr;
}

/* The last profiles built are kept for the next bundle of the same shape
 * (a deep network's bundles are alike; a redraw draws them again). A shape
 * gets profiles once the columns of its bundles drawn one after the other
 * reach 2·PROFILE_PHASES × (classes / edges): a table costs about what
 * PROFILE_PHASES columns of crossings computed one by one do, in the
 * proportion of its classes to the edges. */
static GMutex kept_lock;
static Profiles *kept;
static ProfileShape seen;   /* the shape last drawn without profiles */
static int seen_columns;

/* The kept profiles when they fit the job (a reference); else NULL, with
 * *build whether to make them, and if so the edges' classes in sc (from
 * their |slope|, edge_m). */
static Profiles *
profiles_find (const Job *job, int columns, const double *edge_m, SlopeClasses *sc,
               gboolean *build)
{
  ProfileShape sh;
  Profiles *pr = NULL;
  double edges = (double) job->n0 * job->n1, seen_edge_columns;

  *build = FALSE;
  shape_of (job, &sh);
  g_mutex_lock (&kept_lock);
  if (kept != NULL && shape_equal (&kept->shape, &sh))
    {
      pr = kept;
      g_atomic_int_inc (&pr->ref);
    }
  else
    {
      if (shape_equal (&seen, &sh))
        seen_columns = MIN (seen_columns + columns, 1 << 20);
      else
        seen = sh, seen_columns = columns;
    }
  seen_edge_columns = seen_columns * edges;
  g_mutex_unlock (&kept_lock);

  /* Bundles over the edge limit never get a table (profiles_new() would
   * refuse), so they are not sorted into classes either; nor are bundles
   * drawn too little for even a table of one class. */
  if (pr != NULL || edges > PROFILE_MAX_EDGES || seen_edge_columns < 2.0 * PROFILE_PHASES)
    return pr;
  slope_classes (job, edge_m, sc);
  *build = seen_edge_columns >= 2.0 * PROFILE_PHASES * sc->n;
  if (!*build)
    slope_classes_clear (sc);
  return NULL;
}

/* Tables up to this many entries (512 kB; thick, 1 MB) are kept between bundles: a deep
 * network's small bundles share one; a big bundle's table goes with it. */
#define PROFILE_KEEP_ENTRIES (1 << 18)

static void
profiles_keep (Profiles *pr)
{
  Profiles *old;

  /* (an edge's offset is two entries' size) */
  if ((double) pr->n_classes * PROFILE_PHASES * pr->rows + 2 * pr->shape.n0 * pr->shape.n1
      > PROFILE_KEEP_ENTRIES)
    return;
  g_atomic_int_inc (&pr->ref);
  g_mutex_lock (&kept_lock);
  old = kept;
  kept = pr;
  seen_columns = 0;
  g_mutex_unlock (&kept_lock);
  profiles_unref (old);
}

void
nns_edges_forget (void)
{
  Profiles *old;

  g_mutex_lock (&kept_lock);
  old = kept;
  kept = NULL;
  seen = (ProfileShape) { 0 };
  seen_columns = 0;
  g_mutex_unlock (&kept_lock);
  profiles_unref (old);
}

/* The band's cumulative area above row boundary k (centre y, half
 * thickness h, smeared ±d), as a fraction of a row. */
static inline double
band_cumulative (double k, double y, double h, double d)
{
  return d < 1e-6 ? c1 (k - y, h) : (c2 (k - y + d, h) - c2 (k - y - d, h)) / (2 * d);
}

/* Areas of rows first … first + n − 1 of that band, as fractions of a
 * row: each from the cumulative area at its two boundaries, one new
 * boundary a row. */
static void
band_areas (double y, double h, double d, int first, int n, double *area)
{
  double u0 = band_cumulative (first, y, h, d);

  for (int k = 0; k < n; k++)
    {
      double u1 = band_cumulative (first + k + 1, y, h, d);

      area[k] = u1 - u0;
      u0 = u1;
    }
}

/* Deficits of rows first … first + n − 1 (n ≤ PROFILE_MAX_ROWS) of that
 * band, 0 from row first + valid on. */
static void
band_deficits (const Job *job, double y, double h, double d, int first, int n, int valid,
               guint16 *f)
{
  double area[PROFILE_MAX_ROWS];

  band_areas (y, h, d, first, MIN (valid, n), area);
  for (int k = 0; k < n; k++)
    f[k] = k >= valid ? 0 : (guint16) CLAMP (job->alpha * area[k] * 65536 + 0.5, 0, 65535);
}

/* A thick band's end: the THICK_END_ROWS steps of depth from `before`
 * quanta (above its row first) through its partial rows first … first +
 * n − 1 (n < THICK_END_ROWS), each −ln (1 − a·c) rounded to quanta (`quanta`
 * of them a unit of depth), to `after`. */
static void
band_end_steps (double a, double quanta, double y, double h, double d, int first, int n,
                int before, int after, gint32 *steps)
{
  double area[THICK_END_ROWS];
  int last = before;

  band_areas (y, h, d, first, n, area);
  for (int k = 0; k < THICK_END_ROWS; k++)
    {
      int depth = k < n ? (int) floor (-log1p (-a * area[k]) * quanta + 0.5) : after;

      steps[k] = depth - last;
      last = depth;
    }
}

/* Thick profiles of classes [ka, kb): per phase, the steps of depth at
 * the band's two ends and where each starts (relative to ⌊y⌋). */
static void
profiles_fill_thick (const Job *job, const Profiles *pr, guint ka, guint kb)
{
  double a = MIN (job->alpha, DEPTH_MAX_ALPHA), quanta = pr->unit / row_depth (job);

  for (guint e = ka; e < kb; e++)
    {
      double h = pr->class_h[e], d = pr->class_d[e];

      for (int p = 0; p < PROFILE_PHASES; p++)
        {
          gsize at = (gsize) e * PROFILE_PHASES + p;
          gint32 *steps = pr->steps + at * 2 * THICK_END_ROWS;
          double y = (p + 0.5) / PROFILE_PHASES;
          /* partial rows [top, fa) and [fe, fz), whole ones [fa, fe)
           * (profiles_new() saw to fa − top and fz − fe below
           * THICK_END_ROWS, and fa < fe) */
          int top = (int) floor (y - h - d);
          int fa = (int) ceil (y - h + d), fe = (int) floor (y + h - d);
          int fz = (int) ceil (y + h + d);

          band_end_steps (a, quanta, y, h, d, top, fa - top, 0, pr->unit, steps);
          band_end_steps (a, quanta, y, h, d, fe, fz - fe, pr->unit, 0, steps + THICK_END_ROWS);
          pr->ends[at * 2] = (gint16) top;
          pr->ends[at * 2 + 1] = (gint16) fe;
        }
    }
}

/* The profiles of classes [ka, kb). */
static void
profiles_fill (const Job *job, const Profiles *pr, guint ka, guint kb)
{
  int len = 2 * pr->reach + 1, rows = pr->rows;

  if (pr->thick)
    {
      profiles_fill_thick (job, pr, ka, kb);
      return;
    }
  for (guint e = ka; e < kb; e++)
    {
      double h = pr->class_h[e], d = pr->class_d[e];

      for (int p = 0; p < PROFILE_PHASES; p++)
        {
          double y = pr->reach + (p + 0.5) / PROFILE_PHASES;

          band_deficits (job, y, h, d, 0, rows, len,
                         pr->f + ((gsize) e * PROFILE_PHASES + p) * rows);
        }
    }
}

/* The targets [b, e) of n1 whose crossings with a source at yi, be apart
 * (be not 0), are centred in [lo, hi]: [⌈a⌉, ⌊z⌋ + 1) within [0, n1], for
 * a, z where the first and the last such crossing would be. Without a
 * branch, so that a loop over sources vectorises. */
static inline void
target_range (double yi, double lo, double hi, double inv_be, double n1, double *b, double *e)
{
  double ja = (lo - yi) * inv_be, jz = (hi - yi) * inv_be;
  double a = ja < jz ? ja : jz, z = ja < jz ? jz : ja;
  double b_ = ceil (a), e_ = floor (z) + 1;

  b_ = b_ < 0 ? 0 : b_ > n1 ? n1 : b_;
  *b = b_;
  *e = e_ < b_ ? b_ : e_ > n1 ? n1 : e_;
}

/* The targets j in [jb, je) whose crossing with source i (at yi + j·be in
 * this column) can touch the column's rows; FALSE when none can. */
static inline gboolean
crossing_range (const Job *job, const Column *col, double yi, double be, double inv_be,
                double hmax, guint *jb, guint *je)
{
  double lo = col->r0 - hmax - 1, hi = col->r1 + hmax + 1, b, e;

  *jb = 0;
  *je = job->n1;
  if (fabs (be) <= 1e-12 || job->n1 <= 1)
    /* every crossing at yi */
    return yi >= lo && yi <= hi;
  target_range (yi, lo, hi, inv_be, job->n1, &b, &e);
  *jb = (guint) b;
  *je = (guint) e;
  return b < e;
}

/* crossing_range() for every source of the column at once, in a loop
 * without a branch. */
static inline __attribute__ ((always_inline)) void
column_sources (const Job *job, const Column *col, double t, double hmax)
{
  double al = (1 - t) * job->S0, be = t * job->S1;
  double base = (1 - t) * job->P0 + t * job->P1;
  double lo = col->r0 - hmax - 1, hi = col->r1 + hmax + 1, n1 = job->n1;
  double *restrict y = col->sources.y;
  gint32 *restrict jb = col->sources.jb, *restrict je = col->sources.je;

  if (fabs (be) <= 1e-12 || job->n1 <= 1)
    {
      /* every crossing of a source at one point */
      for (guint i = 0; i < job->n0; i++)
        {
          y[i] = base + i * al;
          jb[i] = 0;
          je[i] = y[i] >= lo && y[i] <= hi ? (gint32) job->n1 : 0;
        }
      return;
    }
  {
    double inv_be = 1 / be;
    int n0 = (int) job->n0;

    for (int i = 0; i < n0; i++)
      {
        double yi = base + i * al, b, e;

        target_range (yi, lo, hi, inv_be, n1, &b, &e);
        y[i] = yi + b * be;
        jb[i] = (gint32) b;
        je[i] = (gint32) e;
      }
  }
}

/* Crossing centres in fixed point: Y = y·2^32, so that a source's
 * crossings step by an integer add and every one lands exactly where the
 * first plus its count of steps puts it. */
#define Y_ONE 4294967296.0

/* v rounded to the nearest integer, halves away from 0, as llround() does
 * for |v| < 2^52, without a call into libm (every source of a column
 * starts with one). */
static inline gint64
round_fixed (double v)
{
  return (gint64) (v + (v >= 0 ? 0.5 : -0.5));
}

/* What every source of a column shares, from the step be between its
 * crossings: 1 / be, be in fixed point (BE), and how many targets apart a
 * pass takes them so that a crossing's `rows` rows do not overlap the last
 * one's. */
typedef struct
{
  double inv_be, stride;
  gint64 BE;
} ColumnStep;

static inline ColumnStep
column_step (double be, int rows)
{
  ColumnStep st = { fabs (be) > 1e-12 ? 1 / be : 0, 1, round_fixed (be * Y_ONE) };

  if (fabs (be) > 0)
    st.stride = ceil (rows / fabs (be));
  return st;
}

/* A source's stride over its targets [jb, je). */
static inline guint
source_stride (const ColumnStep *st, guint jb, guint je)
{
  return MAX ((guint) MIN (st->stride, (double) (je - jb)), 1u);
}

/* The top row of a crossing centred at Y and its phase, the table to take. */
static inline int
crossing_top (gint64 Y, int reach, int top_min, int top_max, int *phase)
{
  *phase = (int) (Y >> (32 - PROFILE_PHASE_BITS)) & (PROFILE_PHASES - 1);
  return CLAMP ((int) (Y >> 32) - reach, top_min, top_max);
}

/* A crossing's rows: T − ⌊T·D / 65536⌋ a row, over a count of lanes that
 * the compiler makes one or two vector multiplies (pmulhuw). */
static inline __attribute__ ((always_inline)) void
crossing_rows8 (guint16 *restrict row, const guint16 *restrict deficit)
{
  for (int k = 0; k < 8; k++)
    row[k] = (guint16) (row[k] - (((guint32) row[k] * deficit[k]) >> 16));
}

static inline __attribute__ ((always_inline)) void
crossing_rows16 (guint16 *restrict row, const guint16 *restrict deficit)
{
  for (int k = 0; k < 16; k++)
    row[k] = (guint16) (row[k] - (((guint32) row[k] * deficit[k]) >> 16));
}

/* A row's byte of the mask from its transmission T (T_ONE = 1):
 * 255 − round (255·T / T_ONE), and 255 / T_ONE = 1 / 257. */
static inline guint8
row_ink (guint32 T)
{
  return (guint8) (255 - (T + 128) / 257);
}

/* One pass of a source's crossings: targets j0, j0 + stride, … < je, the
 * first centred at Y, the next dY further. Tops are clamped to
 * [top_min, top_max] (INT_MIN, INT_MAX where the caller knows they are
 * inside: each copy inlined drops the clamp). */
static inline __attribute__ ((always_inline)) void
pass_crossings (guint16 *trans, const guint16 *table, const guint32 *offset, guint j0, guint je,
                guint stride, gint64 Y, gint64 dY, int reach, int top_min, int top_max,
                const int ROWS)
{
  for (guint j = j0; j < je; j += stride, Y += dY)
    {
      int p, top = crossing_top (Y, reach, top_min, top_max, &p);

      if (ROWS == 8)
        crossing_rows8 (trans + top, table + offset[j] + p * 8);
      else if (ROWS == 16)
        crossing_rows16 (trans + top, table + offset[j] + p * 16);
      else
        {
          crossing_rows16 (trans + top, table + offset[j] + p * 32);
          crossing_rows16 (trans + top + 16, table + offset[j] + p * 32 + 16);
        }
    }
}

/* The crossings of one column through the profiles, rows fixed at ROWS (a
 * constant in each copy inlined, so the multiplies unroll). */
static inline __attribute__ ((always_inline)) void
profiled_crossings (const Job *job, const Column *col, const Profiles *pr, double t,
                    double hmax, const int ROWS, int *lo, int *hi)
{
  double be = t * job->S1;
  /* row r of the column at trans[r]; tops stay inside the margins */
  guint16 *trans = col->ptrans - col->wbase + PROFILE_PAD;
  int top_min = col->wbase - PROFILE_PAD, top_max = col->wbase + col->n_rows + PROFILE_PAD - ROWS;
  int reach = pr->reach;
  const guint16 *table = pr->f;
  int lo_ = INT_MAX, hi_ = INT_MIN;
  /* targets `stride` apart, whose rows do not overlap, one after the
   * other: a crossing's rows are not read back while the last one's
   * stores are still on their way */
  ColumnStep st = column_step (be, ROWS);
  gint64 BE = st.BE;
  const SourceRanges *src = &col->sources;

  column_sources (job, col, t, hmax);
  for (guint i = 0; i < job->n0; i++)
    {
      const guint32 *offset;
      guint jb = src->jb[i], je = src->je[i], stride;
      int p, t0, t1;
      gint64 Yb;
      gboolean clamped;

      if (jb >= je)
        continue;
      offset = pr->offset + (gsize) i * job->n1;
      /* Y is linear in j: the first and the last crossing bound the tops,
       * and when they are inside the margins no top needs a clamp */
      Yb = round_fixed (src->y[i] * Y_ONE);
      t0 = crossing_top (Yb, reach, INT_MIN, INT_MAX, &p);
      t1 = crossing_top (Yb + (gint64) (je - 1 - jb) * BE, reach, INT_MIN, INT_MAX, &p);
      clamped = MIN (t0, t1) < top_min || MAX (t0, t1) > top_max;
      lo_ = MIN (lo_, CLAMP (MIN (t0, t1), top_min, top_max));
      hi_ = MAX (hi_, CLAMP (MAX (t0, t1), top_min, top_max));
      stride = source_stride (&st, jb, je);
      for (guint pass = 0; pass < stride; pass++)
        {
          gint64 Y = Yb + (gint64) pass * BE, dY = (gint64) stride * BE;

          if (clamped)
            pass_crossings (trans, table, offset, jb + pass, je, stride, Y, dY, reach, top_min,
                            top_max, ROWS);
          else
            pass_crossings (trans, table, offset, jb + pass, je, stride, Y, dY, reach, INT_MIN,
                            INT_MAX, ROWS);
        }
    }
  *lo = lo_;
  *hi = hi_ == INT_MIN ? INT_MIN : hi_ + ROWS - 1;
}

/* A thick crossing's end: its steps of depth added into the column's
 * runs, one vector add (AVX2) or two. */
static inline __attribute__ ((always_inline)) void
end_steps8 (gint32 *restrict runs, const gint32 *restrict steps)
{
  for (int k = 0; k < THICK_END_ROWS; k++)
    runs[k] += steps[k];
}

/* Targets j0, j0 + stride, … < je of a source's pass through thick
 * profiles, as pass_crossings(): each crossing's two ends' steps of depth
 * into the column's runs, whose margins (thick_pad()) hold every end of a
 * crossing that can touch the column. */
static inline __attribute__ ((always_inline)) void
pass_thick (gint32 *runs, const Profiles *pr, const guint32 *offset, guint j0, guint je,
            guint stride, gint64 Y, gint64 dY)
{
  for (guint j = j0; j < je; j += stride, Y += dY)
    {
      int y = (int) (Y >> 32);
      gsize at = (offset[j] >> 4) + (gsize) ((Y >> (32 - PROFILE_PHASE_BITS)) & (PROFILE_PHASES - 1));
      const gint16 *e = pr->ends + at * 2;
      const gint32 *steps = pr->steps + at * 2 * THICK_END_ROWS;

      end_steps8 (runs + y + e[0], steps);
      end_steps8 (runs + y + e[1], steps + THICK_END_ROWS);
    }
}

/* Rows of margin either side of a column's runs for thick profiles: every
 * end of a crossing that can touch the column (centred up to hmax + 1 rows
 * off it, crossing_range()) lands inside, so that none needs a clamp. */
static inline int
thick_pad (const Job *job)
{
  return (int) ceil (2 * job->hmax + job->m_max / 2) + 16;
}

/* profiled_crossings() through thick profiles, into the column's runs;
 * rows [lo, hi] hold them. */
static inline __attribute__ ((always_inline)) void
thick_crossings (const Job *job, const Column *col, const Profiles *pr, double t, double hmax,
                 int *lo, int *hi)
{
  double be = t * job->S1;
  gint32 *runs = col->runs - col->wbase;
  int lo_ = INT_MAX, hi_ = INT_MIN;
  ColumnStep st = column_step (be, THICK_END_ROWS);
  gint64 BE = st.BE;
  const SourceRanges *src = &col->sources;

  column_sources (job, col, t, hmax);
  for (guint i = 0; i < job->n0; i++)
    {
      guint jb = src->jb[i], je = src->je[i], stride;
      gint64 Yb;
      int y0, y1;

      if (jb >= je)
        continue;
      Yb = round_fixed (src->y[i] * Y_ONE);
      y0 = (int) (Yb >> 32);
      y1 = (int) ((Yb + (gint64) (je - 1 - jb) * BE) >> 32);
      lo_ = MIN (lo_, MIN (y0, y1) + pr->end_lo);
      hi_ = MAX (hi_, MAX (y0, y1) + pr->end_hi);
      stride = source_stride (&st, jb, je);
      for (guint pass = 0; pass < stride; pass++)
        pass_thick (runs, pr, pr->offset + (gsize) i * job->n1, jb + pass, je, stride,
                    Yb + (gint64) pass * BE, (gint64) stride * BE);
    }
  *lo = lo_;
  *hi = hi_;
}

/* A column's rows after thick crossings, [lo, hi]: each row's depth, the
 * sum of the steps down to it, to its byte of the mask; writes rows
 * [r0, r1) of the mask at out and leaves the runs at 0. */
static inline __attribute__ ((always_inline)) void
thick_rows (const Column *col, const Profiles *pr, int lo, int hi, guint8 *out, gsize step)
{
  gint32 *runs = col->runs - col->wbase;
  int a = CLAMP (col->r0, lo, hi + 1), b = CLAMP (col->r1 - 1, a - 1, hi);
  guint8 *o = out + (gssize) (MAX (a, col->r0) - col->r0) * (gssize) step;
  const guint8 *ink = pr->ink;
  gint32 n = 0, last = (gint32) pr->n_ink - 1;

  /* the margin above: only its sum */
  for (int r = lo; r < a; r++)
    n += runs[r];
  memset (runs + lo, 0, sizeof (gint32) * (gsize) (a - lo));
  for (int r = a; r <= b; r++, o += step)
    {
      n += runs[r];
      runs[r] = 0;
      *o = ink[MIN (n, last)];
    }
  memset (runs + b + 1, 0, sizeof (gint32) * (gsize) (hi - b));
}

/* column_exact() for a column a whole pixel inside the bundle, through the
 * profiles: writes the column's rows of the mask at out
 * (step apart, row r0 first) and leaves the column's ptrans at T_ONE. */
static void __attribute__ ((target_clones ("avx2", "default")))
column_profiled (const Job *job, const Column *col, const Profiles *pr, double t, double hmax,
                 guint8 *out, gsize step)
{
  guint16 *trans;
  int lo, hi;

  if (pr->thick)
    {
      thick_crossings (job, col, pr, t, hmax, &lo, &hi);
      if (lo <= hi)
        thick_rows (col, pr, lo, hi, out, step);
      return;
    }
  trans = col->ptrans - col->wbase + PROFILE_PAD;
  if (pr->rows == 8)
    profiled_crossings (job, col, pr, t, hmax, 8, &lo, &hi);
  else if (pr->rows == 16)
    profiled_crossings (job, col, pr, t, hmax, 16, &lo, &hi);
  else
    profiled_crossings (job, col, pr, t, hmax, 32, &lo, &hi);
  if (lo > hi)
    return;
  /* every row, without a branch (the mask is clear) */
  {
    int a = MAX (lo, col->r0), b = MIN (hi, col->r1 - 1);
    guint8 *o = out + (gssize) (a - col->r0) * (gssize) step;

    for (int r = a; r <= b; r++, o += step)
      *o = row_ink (trans[r]);
  }
  for (int r = lo; r <= hi; r++)
    trans[r] = T_ONE;
}

/* Crossings whose band covers this many whole rows of a column or more
 * count those rows in col->runs instead of multiplying each. */
#define RUN_MIN_ROWS 4

/* Rows [a, b] of a crossing centred at y (half thickness h, smeared ±d
 * across a column fx wide): each times 1 − a·area(r), area(r) = G(r + 1) − G(r),
 * one new G per row. */
static inline void
crossing_exact (const Job *job, Column *col, double y, double h, double d, double fx, int a,
                int b)
{
  if (a > b)
    return;
  if (d < 0.01)
    {
      /* shallow: the smear across the column is negligible */
      double k = job->alpha * fx, g0 = c1 (a - y, h);

      for (int r = a; r <= b; r++)
        {
          double g1 = c1 (r + 1 - y, h);

          trans_mul (col, r, 1.0 - k * (g1 - g0));
          g0 = g1;
        }
    }
  else
    {
      double k = job->alpha * fx / (2 * d);
      double g0 = c2 (a - y + d, h) - c2 (a - y - d, h);

      for (int r = a; r <= b; r++)
        {
          double g1 = c2 (r + 1 - y + d, h) - c2 (r + 1 - y - d, h);

          trans_mul (col, r, 1.0 - k * (g1 - g0));
          g0 = g1;
        }
    }
}

static void
column_exact (const Job *job, Column *col, double t, double fx, double hmax)
{
  double D = job->X1 - job->X0;
  double al = (1 - t) * job->S0, be = t * job->S1;
  double base = (1 - t) * job->P0 + t * job->P1;
  double inv_be = fabs (be) > 1e-12 ? 1 / be : 0;

  for (guint i = 0; i < job->n0; i++)
    {
      double yi = base + i * al;
      double src = job->P0 + i * job->S0;
      guint jb, je;

      if (!crossing_range (job, col, yi, be, inv_be, hmax, &jb, &je))
        continue;

      for (guint j = jb; j < je; j++)
        {
          double y = yi + j * be;
          double h, d;
          int a, b;

          if (col->edge_h)
            {
              h = col->edge_h[i * job->n1 + j];
              d = col->edge_m[i * job->n1 + j] * fx / 2;
            }
          else
            {
              double m = (job->P1 + j * job->S1 - src) / D;

              h = band_half (job, m);
              d = fabs (m) * fx / 2;
            }
          row_window (col, y, -h - d - 1, h + d, &a, &b);
          if (a > b)
            continue;
          /* the rows the band covers whole, [fa, fb]: every point of the
           * smeared band's centre is at least h from both of their sides */
          {
            int fa = (int) MAX (ceil (y - h + d), (double) a);
            int fb = (int) MIN (floor (y + h - d) - 1, (double) b);

            if (fb - fa + 1 >= RUN_MIN_ROWS)
              {
                col->runs[fa - col->wbase] += 1;
                col->runs[fb + 1 - col->wbase] -= 1;
                col->run_lo = MIN (col->run_lo, fa);
                col->run_hi = MAX (col->run_hi, fb + 1);
                crossing_exact (job, col, y, h, d, fx, a, fa - 1);
                crossing_exact (job, col, y, h, d, fx, fb + 1, b);
              }
            else
              crossing_exact (job, col, y, h, d, fx, a, b);
          }
        }
    }
}

/* The rows of the thick bands' runs: each row times (1 − a·fx) for every
 * band that covers it whole; leaves runs at 0. */
static void
column_runs (const Job *job, Column *col, double fx)
{
  double ln_f = log (MAX (1.0 - job->alpha * fx, 1e-300)), p = 1.0;
  int n = 0, n_p = 0;

  for (int r = col->run_lo; r <= col->run_hi; r++)
    {
      n += col->runs[r - col->wbase];
      col->runs[r - col->wbase] = 0;
      if (n == 0)
        continue;
      if (n != n_p)
        p = exp (n * ln_f), n_p = n;
      trans_mul (col, r, p);
    }
  col->run_lo = INT_MAX;
  col->run_hi = INT_MIN;
}

#define END_SAMPLES 8

/* A pixel column near either end of the bundle, where butt caps (square to
 * each edge) cut the bands: sampled at END_SAMPLES positions across. Each
 * sample covers an interval of the column, added in O(1): its partial rows
 * into part, its whole rows as a run into runs (+1 where the run starts,
 * −1 past its end); acc holds both, acc_len entries each. */
static void
column_end (const Job *job, Column *col, int c, double *acc, int acc_len)
{
  double D = job->X1 - job->X0, inv_D = 1 / D;
  /* caps are square to the edge in user space */
  double Dk = D * (job->s_minor * job->s_minor) / (job->s_major * job->s_major);
  double *part = acc, *runs = acc + acc_len;
  /* the samples' places across the column, from its left side */
  double x_first = c + 0.5 / END_SAMPLES, x_step = 1.0 / END_SAMPLES;
  /* the samples inside [X0, X1], for edges without a slope (no cap cut) */
  int k_lo = (int) CLAMP (ceil ((job->X0 - x_first) / x_step), 0, END_SAMPLES);
  int k_hi = (int) CLAMP (floor ((job->X1 - x_first) / x_step) + 1, 0, END_SAMPLES);

  for (guint i = 0; i < job->n0; i++)
    for (guint j = 0; j < job->n1; j++)
      {
        double ya = job->P0 + i * job->S0, yb = job->P1 + j * job->S1;
        double delta = yb - ya, m = delta * inv_D;
        double h = col->edge_h != NULL ? col->edge_h[i * job->n1 + j] : band_half (job, m);
        double ys0 = ya + (c - job->X0) * m, ys1 = ys0 + m;
        double top = MIN (ys0, ys1) - h;
        /* along the samples: the band's centre, and where the two caps cut
         * the sample's line (ya − (x − X0)·Dk/δ and yb − (x − X1)·Dk/δ) */
        double yc = ya + (x_first - job->X0) * m, yc_step = x_step * m;
        double cut_k = delta != 0 ? Dk / delta : 0;
        double cut0 = ya - (x_first - job->X0) * cut_k, cut1 = yb - (x_first - job->X1) * cut_k;
        double cut_step = -x_step * cut_k;
        int rb, re = INT_MIN, k0 = 0, k1 = END_SAMPLES;

        if (MAX (ys0, ys1) + h < col->r0 || top >= col->r1)
          continue;
        /* rows are device pixels inside the image, so r0 ≥ 0 and a cast
         * is ⌊·⌋ for everything clamped to it */
        rb = top < col->r0 ? col->r0 : (int) top;
        if (delta == 0)
          k0 = k_lo, k1 = k_hi;

        for (int k = k0; k < k1; k++)
          {
            double yk = yc + k * yc_step, lo = yk - h, hi = yk + h;
            int rl, rh;

            /* inside the stroke: 0 ≤ along ≤ length */
            if (delta > 0)
              lo = MAX (lo, cut0 + k * cut_step), hi = MIN (hi, cut1 + k * cut_step);
            else if (delta < 0)
              hi = MIN (hi, cut0 + k * cut_step), lo = MAX (lo, cut1 + k * cut_step);
            lo = MAX (lo, col->r0);
            hi = MIN (hi, col->r1);
            if (hi <= lo)
              continue;
            rl = (int) lo;
            rh = (int) hi;
            if (rh >= rb + acc_len - 1)
              rh = rb + acc_len - 2, hi = rh + 1.0;  /* cannot happen: acc_len covers a band */
            if (rl == rh)
              part[rl - rb] += hi - lo;
            else
              {
                part[rl - rb] += rl + 1 - lo;
                part[rh - rb] += hi - rh;
                runs[rl + 1 - rb] += 1;
                runs[rh - rb] -= 1;
              }
            re = MAX (re, rh);
          }
        if (re == INT_MIN)
          continue;
        {
          double run = 0;

          /* (and leaves part and runs at 0) */
          for (int r = rb; r <= re; r++)
            {
              run += runs[r - rb];
              trans_mul (col, r, 1.0 - job->alpha * (part[r - rb] + run) / END_SAMPLES);
              part[r - rb] = runs[r - rb] = 0;
            }
          runs[re + 1 - rb] = 0;
        }
      }
}

static void
column_dense (const Job *job, const Block *blocks, guint n_blocks, Column *col, double t,
              double fx, Corners *corners)
{
  double D = job->X1 - job->X0;
  double al = (1 - t) * job->S0, be = t * job->S1;
  double b0 = (1 - t) * job->P0, b1 = t * job->P1;
  /* Neighbouring blocks share corners (the boxes of one comb's blocks meet
   * end to end): each corner is deposited once, with the steps, ramps and
   * parabolas of all its blocks, weighted by their thickness, through the
   * band of their mean thickness. Corners of trapezoids lie at A[a] + B[b];
   * where one comb's box is a point (next to a column of neurons), at
   * A[a] + Bp[b] (b's box a point) or Ap[a] + B[b]. */
  double A[CORNERS_N], B[CORNERS_N], Ap[CORNERS_N], Bp[CORNERS_N];

  for (guint k = 0; k < n_blocks; k++)
    {
      const Block *bl = &blocks[k];
      guint na = bl->ie - bl->ib, nb = bl->je - bl->jb;
      double sa = fabs (al), sb = fabs (be);
      double thr = 0.5 * (1 + 2 * bl->h);
      double pa = b0 + bl->ib * al, pb = b1 + bl->jb * be;
      double qa, La, qb, Lb;

      comb_box (pa, al, na, &qa, &La);
      comb_box (pb, be, nb, &qb, &Lb);

      /* "fine" is the comb with the smaller spacing */
      gboolean a_fine = na <= 1 || (nb > 1 && sa <= sb);
      double s_f = a_fine ? sa : sb, s_c = a_fine ? sb : sa;
      guint n_f = a_fine ? na : nb, n_c = a_fine ? nb : na;
      double L_f = a_fine ? La : Lb;

      /* the fine runs continue across blocks: whether they overlap depends
       * on the whole comb's run */
      double run_f = (a_fine ? job->n0 : job->n1) * s_f;
      gboolean fine_ok = n_f <= 1 || s_f <= thr;
      gboolean coarse_ok = n_c <= 1 || s_c <= thr || 4 * s_c <= run_f;

      /* An edge's thickness is h + g·(its slope − the block's), and its
       * slope moves by 1 / ((1 − t)·D) against its source's offset across
       * the column, by 1 / (t·D) with its target's (the weights below are
       * only used where that comb's box is not empty, so t is not 0 or 1
       * there). */
      double g_a = La >= BOX_EPSILON ? -bl->g / ((1 - t) * D) : 0;
      double g_b = Lb >= BOX_EPSILON ? bl->g / (t * D) : 0;

      if (!fine_ok || coarse_ok)
        {
          /* both averaged: the block is a trapezoid (when the lattice is
           * dense but coarse, this averages its moiré away) */
          if (La >= BOX_EPSILON && Lb >= BOX_EPSILON)
            {
              /* corner (a, b) of the grid lies at A[a] + B[b]; a comb
               * running backwards starts its box at its block's far end */
              guint a0 = al >= 0 ? bl->a : bl->a + 1, a1 = al >= 0 ? bl->a + 1 : bl->a;
              guint b0_ = be >= 0 ? bl->b : bl->b + 1, b1_ = be >= 0 ? bl->b + 1 : bl->b;
              double k1[4], k2[4];
              const guint ca[4] = { a0, a1, a0, a1 }, cb[4] = { b0_, b0_, b1_, b1_ };

              trapezoid_corners (La, Lb, fx * na * nb, bl->h, g_a, g_b, k1, k2);
              A[a0] = qa, A[a1] = qa + La;
              B[b0_] = qb, B[b1_] = qb + Lb;
              for (int c = 0; c < 4; c++)
                corner_add (corners, 0, ca[c], cb[c], bl->h, 0, k1[c], k2[c]);
            }
          else if (La >= BOX_EPSILON || Lb >= BOX_EPSILON)
            {
              /* a box and a point: as dep_trapezoid() draws it */
              gboolean along_a = La >= BOX_EPSILON;
              double L = along_a ? La : Lb;
              double tilt = (along_a ? g_a : g_b) * fx * na * nb / (L * bl->h);
              double k0_start = fx * na * nb / L - tilt * L / 2;
              double k0_end = -fx * na * nb / L - tilt * L / 2;

              if (along_a)
                {
                  guint a0 = al >= 0 ? bl->a : bl->a + 1, a1 = al >= 0 ? bl->a + 1 : bl->a;

                  A[a0] = qa, A[a1] = qa + La;
                  Bp[bl->b] = qb + Lb / 2;
                  corner_add (corners, 1, a0, bl->b, bl->h, k0_start, tilt, 0);
                  corner_add (corners, 1, a1, bl->b, bl->h, k0_end, -tilt, 0);
                }
              else
                {
                  guint b0_ = be >= 0 ? bl->b : bl->b + 1, b1_ = be >= 0 ? bl->b + 1 : bl->b;

                  B[b0_] = qb, B[b1_] = qb + Lb;
                  Ap[bl->a] = qa + La / 2;
                  corner_add (corners, 2, bl->a, b0_, bl->h, k0_start, tilt, 0);
                  corner_add (corners, 2, bl->a, b1_, bl->h, k0_end, -tilt, 0);
                }
            }
          else
            dep_trapezoid (col, qa + qb, La, Lb, fx * na * nb, bl->h, g_a, g_b);
        }
      else
        {
          /* one fan per coarse point */
          double p_c = a_fine ? pb : pa, st_c = a_fine ? be : al;
          double q_f = a_fine ? qa : qb;
          /* the slope step from one coarse point to the next */
          double dm_c = a_fine ? job->S1 / D : -job->S0 / D;

          for (guint m = 0; m < n_c; m++)
            {
              double q = q_f + p_c + m * st_c;
              double h_m = MAX (bl->h + bl->g * dm_c * (m - (n_c - 1) / 2.0), 1e-3 * bl->h);

              /* (the fine comb's tilt is per unit of mass: scaled back) */
              dep_trapezoid (col, q, L_f, 0, fx * n_f * h_m / bl->h, bl->h,
                             (a_fine ? g_a : g_b) * bl->h / h_m, 0);
            }
        }
    }
  for (guint k = 0; k < corners->n_touched; k++)
    {
      guint idx = corners->touched[k];
      guint kind = idx / (CORNERS_N * CORNERS_N), a = idx / CORNERS_N % CORNERS_N;
      guint b = idx % CORNERS_N;
      Corner *c = &corners->table[idx];
      /* the mean of the (up to four) blocks' thickness */
      double h = c->hs / c->n;

      double q = (kind == 2 ? Ap[a] : A[a]) + (kind == 1 ? Bp[b] : B[b]);

      /* (a box and a point has no parabola) */
      if (c->k2 == 0)
        dep_linear (col, q, h, c->k0 / (2 * h), c->k1 / (2 * h));
      else
        dep_poly (col, q, h, c->k0 / (2 * h), c->k1 / (2 * h), c->k2 / (2 * h));
      *c = (Corner) { 0 };
    }
  corners->n_touched = 0;
}

static void
make_blocks (const Job *job, Block **out, guint *n_out)
{
  double D = job->X1 - job->X0;
  double spread0 = fabs (job->S0) * (job->n0 - 1) / D;
  double spread1 = fabs (job->S1) * (job->n1 - 1) / D;
  guint g0 = MIN (job->n0, (guint) CLAMP (ceil (spread0 / MAX_SLOPE_SPREAD), 1, MAX_BLOCKS));
  guint g1 = MIN (job->n1, (guint) CLAMP (ceil (spread1 / MAX_SLOPE_SPREAD), 1, MAX_BLOCKS));
  Block *blocks = g_new (Block, g0 * g1);
  guint k = 0;

  for (guint a = 0; a < g0; a++)
    for (guint b = 0; b < g1; b++)
      {
        Block *bl = &blocks[k++];
        double im, jm;

        bl->a = a;
        bl->b = b;
        bl->ib = (guint) ((guint64) job->n0 * a / g0);
        bl->ie = (guint) ((guint64) job->n0 * (a + 1) / g0);
        bl->jb = (guint) ((guint64) job->n1 * b / g1);
        bl->je = (guint) ((guint64) job->n1 * (b + 1) / g1);
        im = (bl->ib + bl->ie - 1) / 2.0;
        jm = (bl->jb + bl->je - 1) / 2.0;
        /* the mean thickness over the block's slope range */
        {
          double m_lo = (job->P1 + bl->jb * job->S1 - job->P0 - (bl->ie - 1) * job->S0) / D;
          double m_hi = (job->P1 + (bl->je - 1) * job->S1 - job->P0 - bl->ib * job->S0) / D;
          double m_mid = (job->P1 + jm * job->S1 - job->P0 - im * job->S0) / D;

          bl->h = (band_half (job, m_lo) + band_half (job, m_hi) + 4 * band_half (job, m_mid)) / 6;
          bl->g = fabs (m_hi - m_lo) > 1e-12
                    ? (band_half (job, m_hi) - band_half (job, m_lo)) / (m_hi - m_lo)
                    : 0;
        }
      }
  *out = blocks;
  *n_out = k;
}

/* What every column of a job reads: set up once, then read-only while the
 * columns are drawn (by one thread or several). */
typedef struct
{
  const Job *job;
  guint8    *mask;          /* A8, origin mx0,my0 in device pixels */
  int        stride, mx0, my0;
  int        w0, w1;        /* minor rows drawn */
  int        c0, c1;        /* major columns drawn */
  Block     *blocks;
  guint      n_blocks;
  double    *edge_tab;      /* per edge: band half thickness, then |slope|; or NULL */
  Profiles  *profiles;      /* or NULL: crossings computed */
  double     exact_density; /* crossings per row below which coarse combs stay exact */
} Raster;

/* Where column c lies: its t, its width fx inside the bundle, whether it is
 * near an end, its rows [r0, r1) and whether its crossings are computed one
 * by one; FALSE when it draws nothing. */
static gboolean
column_place (const Raster *ra, int c, double *t_out, double *fx_out, gboolean *end_out,
              int *r0, int *r1, gboolean *exact_out)
{
  const Job *job = ra->job;
  double D = job->X1 - job->X0;
  double n_pts = (double) job->n0 * job->n1;
  double xa = MAX (c, job->X0), xb = MIN (c + 1, job->X1);
  double fx = xb - xa, t, lo, hi, q, L, span;
  /* butt caps reach up to ext beyond the ends */
  gboolean end = (c + 1 > job->X0 - job->ext && c < job->X0 + job->ext)
                 || (c + 1 > job->X1 - job->ext && c < job->X1 + job->ext);
  gboolean exact;

  if (fx <= 0 && !end)
    return FALSE;
  if (fx <= 0)
    xa = xb = clampd (c + 0.5, job->X0, job->X1);
  t = clampd (((xa + xb) / 2 - job->X0) / D, 0, 1);

  comb_box ((1 - t) * job->P0, (1 - t) * job->S0, job->n0, &q, &L);
  lo = q;
  hi = q + L;
  comb_box (t * job->P1, t * job->S1, job->n1, &q, &L);
  lo += q;
  hi += q + L;
  span = hi - lo;
  lo -= job->hmax + job->m_max + 2;
  hi += job->hmax + job->m_max + 2;
  if (hi < ra->w0 || lo >= ra->w1)
    return FALSE;
  *r0 = lo <= ra->w0 ? ra->w0 : (int) floor (lo);
  *r1 = hi >= ra->w1 ? ra->w1 : (int) ceil (hi);
  if (*r0 >= *r1)
    return FALSE;

  /* Averaging a comb finer than the pixel filter is faithful at any
   * opacity; averaging coarse ones (their moiré) only for faint edges. */
  {
    double s0 = fabs ((1 - t) * job->S0), s1 = fabs (t * job->S1);
    double thr = 0.5 * (1 + 2 * job->hmax);
    gboolean fine0 = job->n0 <= 1 || s0 <= thr, fine1 = job->n1 <= 1 || s1 <= thr;
    double limit = fine0 && fine1 ? EXACT_DENSITY : ra->exact_density;

    exact = n_pts <= EXACT_ALWAYS || n_pts <= limit * MAX (span, 1.0);
  }
  if (!exact && fx <= 0)
    return FALSE;
  *t_out = t;
  *fx_out = fx;
  *end_out = end;
  *exact_out = exact;
  return TRUE;
}

/* Columns across the mask's rows (edges running along x) are drawn down a
 * tile of TILE_COLUMNS columns, then stored row by row: a column's bytes
 * straight into the mask would each be a row apart. */
#define TILE_COLUMNS 16

/* One thread's working memory for a raster's columns. */
typedef struct
{
  double  *buf;
  double  *acc;             /* column_end()'s samples of one band: 2 · acc_len */
  int      acc_len;
  guint16 *ptrans;
  double  *sources;         /* col.sources */
  int     *touched;
  gint32  *runs;
  guint8  *tile;            /* TILE_COLUMNS columns of the raster's rows, clear */
  Corners *corners;
  Column   col;
} Scratch;

static void
scratch_init (Scratch *sc, const Raster *ra)
{
  const Job *job = ra->job;
  int acc_len = (int) ceil (2 * job->hmax + job->m_max) + 4;
  int n_rows = ra->w1 - ra->w0;
  int run_pad = ra->profiles != NULL && ra->profiles->thick ? thick_pad (job) : PROFILE_PAD;
  Column *col = &sc->col;

  *sc = (Scratch) { 0 };
  sc->buf = g_new (double, 4 * (size_t) (n_rows + 3) + 2 * (size_t) acc_len);
  sc->acc = sc->buf + 4 * (n_rows + 3);
  sc->acc_len = acc_len;
  memset (sc->acc, 0, sizeof (double) * 2 * (size_t) acc_len);
  sc->touched = g_new (int, n_rows + 2);
  sc->runs = g_new0 (gint32, n_rows + 2 * run_pad + 2);
  if (!job->transposed)
    sc->tile = g_malloc0 ((gsize) TILE_COLUMNS * n_rows);
  col->runs = sc->runs + run_pad;
  col->run_lo = INT_MAX;
  col->run_hi = INT_MIN;
  sc->corners = g_new0 (Corners, 1);
  col->d2 = sc->buf;
  col->loc = sc->buf + n_rows + 3;
  col->trans = sc->buf + 2 * (n_rows + 3);
  col->d3 = sc->buf + 3 * (n_rows + 3);
  memset (col->d3, 0, sizeof (double) * (n_rows + 3));
  col->wbase = ra->w0;
  col->n_rows = n_rows;
  col->touched = sc->touched;
  for (int r = 0; r < n_rows + 2; r++)
    col->trans[r] = 1.0;
  if (ra->edge_tab != NULL)
    {
      col->edge_h = ra->edge_tab;
      col->edge_m = ra->edge_tab + (gsize) job->n0 * job->n1;
    }
  if (ra->profiles != NULL)
    {
      sc->sources = g_new (double, 2 * (gsize) job->n0);
      col->sources.y = sc->sources;
      col->sources.jb = (gint32 *) (sc->sources + job->n0);
      col->sources.je = col->sources.jb + job->n0;
      if (!ra->profiles->thick)
        {
          /* (thick profiles sum depth in the runs) */
          sc->ptrans = g_new (guint16, n_rows + 2 * PROFILE_PAD + 1);
          for (int r = 0; r < n_rows + 2 * PROFILE_PAD + 1; r++)
            sc->ptrans[r] = T_ONE;
          col->ptrans = sc->ptrans;
        }
    }
}

static void
scratch_clear (Scratch *sc)
{
  g_free (sc->buf);
  g_free (sc->ptrans);
  g_free (sc->sources);
  g_free (sc->touched);
  g_free (sc->runs);
  g_free (sc->tile);
  g_free (sc->corners);
}

/* A dense column: its coverage K from the blocks' combs, each row
 * 1 − (1 − a)^K, row r at out[r − base]. */
static void
column_dense_rows (const Raster *ra, Scratch *sc, Column *colp, double t, double fx,
                   guint8 *out, int base)
{
  const Job *job = ra->job;
  const guint8 *lut = alpha_lut ();
  double ln1a = log (1.0 - MIN (job->alpha, 1.0 - 1e-9));
  Column col = *colp;
  double first = 0, second = 0, q1 = 0, q2 = 0, q3 = 0;
  gboolean quadratic;

  memset (col.d2, 0, sizeof (double) * (col.r1 - col.r0 + 2));
  memset (col.loc, 0, sizeof (double) * (col.r1 - col.r0 + 2));
  if (col.has_d3)
    memset (col.d3, 0, sizeof (double) * col.d3_len);
  col.has_d3 = FALSE;
  col.d3_len = col.r1 - col.r0 + 3;
  column_dense (job, ra->blocks, ra->n_blocks, &col, t, fx, sc->corners);
  quadratic = col.has_d3;
  for (int r = col.r0; r < col.r1; r++)
    {
      int k = r - col.r0;
      double K, x;

      first += col.d2[k];
      second += first;
      if (quadratic)
        {
          q1 += col.d3[k];
          q2 += q1;
          q3 += q2;
        }
      K = second + q3 + col.loc[k];
      x = K > 0 ? -K * ln1a : 0;
      /* (out is clear: a 0 stored costs less than a branch) */
      out[r - base] = x * LUT_SCALE < LUT_SIZE - 1 ? lut[(int) (x * LUT_SCALE + 0.5)] : 255;
    }
  *colp = col;
}

/* Draws column c with the thread's scratch (which it leaves as it found
 * it, but for col), row r of the column at out[r − base], a clear run of
 * bytes; FALSE when the column draws nothing, else its rows are
 * [col->r0, col->r1). */
static gboolean
raster_column (const Raster *ra, Scratch *sc, Column *colp, int c, guint8 *out, int base)
{
  const Job *job = ra->job;
  Column col = *colp;
  double t, fx;
  gboolean end, exact;

  if (!column_place (ra, c, &t, &fx, &end, &col.r0, &col.r1, &exact))
    return FALSE;
  if (!exact)
    column_dense_rows (ra, sc, &col, t, fx, out, base);
  else if (!end && ra->profiles != NULL && fx == 1.0)
    column_profiled (job, &col, ra->profiles, t, job->hmax, out + (col.r0 - base), 1);
  else
    {
      col.n_touched = 0;
      if (end)
        column_end (job, &col, c, sc->acc, sc->acc_len);
      else
        {
          column_exact (job, &col, t, fx, job->hmax);
          if (col.run_lo <= col.run_hi)
            column_runs (job, &col, fx);
        }
      for (int k = 0; k < col.n_touched; k++)
        {
          int r = col.touched[k];
          double *tr = &col.trans[r - col.wbase];

          out[r - base] = (guint8) (clampd (1.0 - *tr, 0, 1) * 255.0 + 0.5);
          *tr = 1.0;
        }
    }
  *colp = col;
  return TRUE;
}

/* Draws columns [ca, cb) of the raster with the thread's scratch (which it
 * leaves as it found it). */
static void
raster_columns (const Raster *ra, Scratch *sc, int ca, int cb)
{
  guint8 *mask = ra->mask;
  gsize stride = ra->stride;
  int mx0 = ra->mx0, my0 = ra->my0;
  gsize rows = (gsize) (ra->w1 - ra->w0);

  if (ra->job->transposed)
    {
      for (int c = ca; c < cb; c++)
        raster_column (ra, sc, &sc->col, c, mask + (gsize) (c - my0) * stride, mx0);
      return;
    }
  for (int g0 = ca; g0 < cb; g0 += TILE_COLUMNS)
    {
      int gw = MIN (TILE_COLUMNS, cb - g0), lo = INT_MAX, hi = INT_MIN;

      for (int k = 0; k < gw; k++)
        if (raster_column (ra, sc, &sc->col, g0 + k, sc->tile + k * rows, ra->w0))
          {
            lo = MIN (lo, sc->col.r0);
            hi = MAX (hi, sc->col.r1);
          }
      if (lo >= hi)
        continue;
      nns_pixel_store_columns (mask + (gsize) (lo - my0) * stride + (g0 - mx0), stride,
                               sc->tile + (lo - ra->w0), rows, gw, hi - lo);
      for (int k = 0; k < gw; k++)
        memset (sc->tile + k * rows + (lo - ra->w0), 0, hi - lo);
    }
}

/* --- a job on more than one core ----------------------------------------- */

/* Work is handed out in chunks, the calling thread's from the left, a
 * helper's from the right, so that while drawing columns the two write
 * different parts of the mask (and of its cache lines) until they meet. */
#define CHUNK_COLUMNS    16
#define CHUNK_CLASSES    64
#define HELP_MIN_COLUMNS 32    /* fewer: not worth waking a helper */
#define HELP_MIN_CLASSES 256
/* A thick class costs a log for each partial row of its two ends, where a
 * thin one's rows are areas alone: it is shared out from fewer. */
#define CHUNK_THICK_CLASSES    8
#define HELP_MIN_THICK_CLASSES 32

typedef enum
{
  SHARE_PROFILES,           /* items are classes of profiles: profiles_fill() */
  SHARE_COLUMNS,            /* items are pixel columns: raster_columns() */
} ShareKind;

/* What the helper threads run: a share of a job's items, or a fan. */
typedef struct
{
  void (*run) (gpointer task);
} HelperTask;

typedef struct
{
  HelperTask    task;
  Raster *const *ras;       /* the rasters whose items are shared out, */
  const int    *starts;     /* … the first item of each (n_ras + 1: the end) */
  int           n_ras;
  ShareKind     kind;
  int           chunk;
  GMutex        lock;
  GCond         idle;
  int           lo, hi;     /* items not handed out yet */
  int           busy;       /* chunks being worked on */
  gint          ref;
  /* SHARE_COLUMNS: each raster's columns drawn (atomic), and what the
   * calling thread does with each raster once all are, in order, between
   * its chunks (NULL: nothing) */
  gint         *done;
  void        (*ready) (gpointer data, int raster);
  gpointer      ready_data;
  int           next_ready;
} Share;

static guint helped_columns;

static void
share_unref (Share *sh)
{
  if (g_atomic_int_dec_and_test (&sh->ref))
    {
      g_mutex_clear (&sh->lock);
      g_cond_clear (&sh->idle);
      g_free (sh->done);
      g_free (sh);
    }
}

/* The next chunk from the left or the right; FALSE when all are handed out. */
static gboolean
share_take (Share *sh, gboolean from_right, int *a, int *b)
{
  gboolean ok;

  g_mutex_lock (&sh->lock);
  ok = sh->lo < sh->hi;
  if (ok && from_right)
    {
      *b = sh->hi;
      *a = sh->hi = MAX (sh->lo, sh->hi - sh->chunk);
    }
  else if (ok)
    {
      *a = sh->lo;
      *b = sh->lo = MIN (sh->hi, sh->lo + sh->chunk);
    }
  if (ok)
    sh->busy++;
  g_mutex_unlock (&sh->lock);
  return ok;
}

static void
share_done (Share *sh)
{
  g_mutex_lock (&sh->lock);
  if (--sh->busy == 0)
    g_cond_broadcast (&sh->idle);
  g_mutex_unlock (&sh->lock);
}

/* Hands the rasters whose columns are all drawn, in order, to sh->ready
 * (the calling thread only: the helpers' last columns may still be on
 * their way, so a raster is handed on once its own count is complete). */
static void
share_deliver (Share *sh)
{
  while (sh->ready != NULL && sh->next_ready < sh->n_ras
         && g_atomic_int_get (&sh->done[sh->next_ready])
              == sh->starts[sh->next_ready + 1] - sh->starts[sh->next_ready])
    {
      sh->ready (sh->ready_data, sh->next_ready);
      sh->next_ready++;
    }
}

/* Works on chunks while there are any. A helper may get here after the job
 * is over (its rasters gone): then it only looks at the share. Items are
 * numbered across the rasters (their columns one raster after the other),
 * so a chunk may span two: each part goes to its own raster, with scratch
 * memory for the raster being drawn. */
static void
share_work (Share *sh, gboolean helper)
{
  Scratch sc = { 0 };
  int scratch_of = -1;
  int a, b;

  while (share_take (sh, helper, &a, &b))
    {
      if (sh->kind == SHARE_PROFILES)
        profiles_fill (sh->ras[0]->job, sh->ras[0]->profiles, a, b);
      else
        {
          /* the rasters the chunk touches */
          int k = 0, lo = 0, hi = sh->n_ras;

          while (lo < hi)
            {
              int mid = (lo + hi) / 2;

              if (sh->starts[mid + 1] <= a)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (k = lo; k < sh->n_ras && sh->starts[k] < b; k++)
            {
              const Raster *ra = sh->ras[k];
              int ca = MAX (a, sh->starts[k]) - sh->starts[k] + ra->c0;
              int cb = MIN (b, sh->starts[k + 1]) - sh->starts[k] + ra->c0;

              if (ca >= cb)
                continue;
              if (scratch_of != k)
                {
                  if (scratch_of >= 0)
                    scratch_clear (&sc);
                  scratch_init (&sc, ra);
                  scratch_of = k;
                }
              raster_columns (ra, &sc, ca, cb);
              if (sh->done != NULL)
                g_atomic_int_add (&sh->done[k], cb - ca);
            }
          if (helper)
            g_atomic_int_add (&helped_columns, b - a);
        }
      share_done (sh);
      if (!helper)
        share_deliver (sh);
    }
  if (scratch_of >= 0)
    scratch_clear (&sc);
}

static void
share_help (gpointer data)
{
  share_work (data, TRUE);
  share_unref (data);
}

static void
helper_run (gpointer data, gpointer user_data)
{
  (void) user_data;
  ((HelperTask *) data)->run (data);
}

guint
nns_edges_get_helped_columns (void)
{
  return (guint) g_atomic_int_get (&helped_columns);
}

static GThreadPool *
helpers (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      guint n = MIN (g_get_num_processors (), 8);
      GThreadPool *p = n > 1 ? g_thread_pool_new (helper_run, NULL, (int) n - 1, FALSE, NULL)
                             : NULL;

      g_once_init_leave (&pool, p != NULL ? p : (GThreadPool *) 1);
    }
  return pool == (GThreadPool *) 1 ? NULL : pool;
}

static gboolean single_thread = FALSE;

void
nns_edges_set_single_thread (gboolean single)
{
  single_thread = single;
}

/* Does the rasters' items of a kind of work (numbered from 0 across them:
 * starts[k] is raster k's first, starts[n_ras] the end), with the idle
 * cores' help when there are at least min_help of them. */
static void
share_run (Raster *const *ras, const int *starts, int n_ras, ShareKind kind, int chunk,
           int min_help, void (*ready) (gpointer data, int raster), gpointer ready_data)
{
  int lo = starts[0], hi = starts[n_ras];
  GThreadPool *pool = hi - lo >= min_help && !single_thread ? helpers () : NULL;
  Share *sh = g_new0 (Share, 1);

  sh->task.run = share_help;
  sh->ras = ras;
  sh->starts = starts;
  sh->n_ras = n_ras;
  sh->kind = kind;
  sh->chunk = chunk;
  g_mutex_init (&sh->lock);
  g_cond_init (&sh->idle);
  sh->lo = lo;
  sh->hi = hi;
  sh->ref = 1;
  if (ready != NULL)
    {
      sh->done = g_new0 (gint, n_ras);
      sh->ready = ready;
      sh->ready_data = ready_data;
    }
  if (pool != NULL)
    for (int k = 0; k < g_thread_pool_get_max_threads (pool); k++)
      {
        g_atomic_int_inc (&sh->ref);
        g_thread_pool_push (pool, sh, NULL);
      }
  share_work (sh, FALSE);
  /* every chunk is handed out: wait for the ones still being worked on */
  g_mutex_lock (&sh->lock);
  while (sh->busy > 0)
    g_cond_wait (&sh->idle, &sh->lock);
  g_mutex_unlock (&sh->lock);
  share_deliver (sh);
  share_unref (sh);
}

/* Sets ra up to rasterise the job into mask (A8, origin mx0,my0 in device
 * pixels), for major columns [c0, c1) and minor rows [w0, w1): the blocks,
 * the per-edge table and the crossing tables (built now, with the other
 * cores, when the job is worth them). raster_release() frees it. */
static void
raster_prepare (Raster *ra, const Job *job, guint8 *mask, int stride, int mx0, int my0, int c0,
                int c1, int w0, int w1)
{
  double D = job->X1 - job->X0;
  double n_pts = (double) job->n0 * job->n1;
  gboolean any_exact = FALSE;

  *ra = (Raster) { job, mask, stride, mx0, my0, w0, w1, c0, c1 };
  /* Averaging is only faithful where single edges are faint: opaque edges
   * stay exact up to a higher density (the density rule keeps dense bundles
   * faint, so this costs nothing there). */
  ra->exact_density = EXACT_DENSITY * CLAMP (job->alpha / 0.1, 1.0, 10.0);
  make_blocks (job, &ra->blocks, &ra->n_blocks);

  for (int c = c0; c < c1 && !any_exact; c++)
    {
      double t, fx;
      gboolean end;
      int r0, r1;

      column_place (ra, c, &t, &fx, &end, &r0, &r1, &any_exact);
    }
  if (any_exact && n_pts <= (1 << 20))
    {
      SlopeClasses classes = { 0 };
      gboolean build;

      /* thickness and slope per edge: the same in every column */
      ra->edge_tab = g_new (double, 2 * (size_t) n_pts);
      for (guint i = 0; i < job->n0; i++)
        for (guint j = 0; j < job->n1; j++)
          {
            double m = (job->P1 + j * job->S1 - job->P0 - i * job->S0) / D;

            ra->edge_tab[i * job->n1 + j] = band_half (job, m);
            ra->edge_tab[(size_t) n_pts + i * job->n1 + j] = fabs (m);
          }
      ra->profiles = profiles_find (job, c1 - c0, ra->edge_tab + (gsize) n_pts, &classes, &build);
      if (build && (ra->profiles = profiles_new (job, &classes)) != NULL)
        {
          int starts[2] = { 0, (int) ra->profiles->n_classes };
          gboolean thick = ra->profiles->thick;

          share_run (&ra, starts, 1, SHARE_PROFILES, thick ? CHUNK_THICK_CLASSES : CHUNK_CLASSES,
                     thick ? HELP_MIN_THICK_CLASSES : HELP_MIN_CLASSES, NULL, NULL);
          profiles_keep (ra->profiles);
        }
    }
}

static void
raster_release (Raster *ra)
{
  profiles_unref (ra->profiles);
  g_free (ra->edge_tab);
  g_free (ra->blocks);
}

/* Draws the rasters' columns, all of them shared out among the cores, and
 * hands each raster to ready (when not NULL) on this thread, in order, as
 * soon as its columns are drawn: while this thread uses one, the helpers
 * go on drawing the rest. */
static void
rasters_draw (Raster *const *ras, int n, void (*ready) (gpointer data, int raster),
              gpointer ready_data)
{
  g_autofree int *starts = g_new (int, n + 1);

  starts[0] = 0;
  for (int k = 0; k < n; k++)
    starts[k + 1] = starts[k] + (ras[k]->c1 - ras[k]->c0);
  if (starts[n] > 0)
    share_run (ras, starts, n, SHARE_COLUMNS, CHUNK_COLUMNS, HELP_MIN_COLUMNS, ready,
               ready_data);
  else
    for (int k = 0; ready != NULL && k < n; k++)
      ready (ready_data, k);
}

static gboolean
bundle_finite (const NnsEdgeBundle *b)
{
  return isfinite (b->x0) && isfinite (b->y0) && isfinite (b->dx0) && isfinite (b->dy0)
         && isfinite (b->x1) && isfinite (b->y1) && isfinite (b->dx1) && isfinite (b->dy1)
         && isfinite (b->line_width);
}



/* A bundle on its way onto an image: its job rasterised into its mask,
 * which is painted in colour at (mx0, my0), in device pixels. */
typedef struct
{
  Job              job;
  Raster           ra;
  cairo_surface_t *mask;
  int              mx0, my0;
  NnsColor         color;
} Queued;

static void
queued_free (Queued *q)
{
  raster_release (&q->ra);
  cairo_surface_destroy (q->mask);
  g_free (q);
}

typedef enum
{
  FAST_DECLINED,            /* the caller strokes it edge by edge */
  FAST_INVISIBLE,           /* nothing of it is inside the clip */
  FAST_QUEUED
} FastResult;

/* Sets q up to draw the bundle through a mask on an image surface, unless
 * the column model does not fit it or nothing of it shows. */
static FastResult
fast_image_prepare (cairo_t *cr, const NnsEdgeBundle *b, Queued *q)
{
  NnsPixelMap pm;
  Job job = { 0 };
  double sx0, sy0, sdx0, sdy0, sx1, sy1, sdx1, sdy1;
  gboolean vert_ok, horiz_ok;
  int cx0, cy0, cx1, cy1;
  guint64 n_edges = (guint64) b->n0 * b->n1;

  if (!nns_pixel_map (cr, &pm))
    return FAST_DECLINED;

  /* in pixels */
  sx0 = pm.xx * b->x0 + pm.x0;
  sy0 = pm.yy * b->y0 + pm.y0;
  sdx0 = b->n0 > 1 ? pm.xx * b->dx0 : 0;
  sdy0 = b->n0 > 1 ? pm.yy * b->dy0 : 0;
  sx1 = pm.xx * b->x1 + pm.x0;
  sy1 = pm.yy * b->y1 + pm.y0;
  sdx1 = b->n1 > 1 ? pm.xx * b->dx1 : 0;
  sdy1 = b->n1 > 1 ? pm.yy * b->dy1 : 0;

  /* columns of neurons along y (edges run in x) or along x */
  vert_ok = sdx0 == 0 && sdx1 == 0;
  horiz_ok = sdy0 == 0 && sdy1 == 0;
  if (vert_ok && horiz_ok)
    {
      vert_ok = fabs (sx1 - sx0) >= fabs (sy1 - sy0);
      horiz_ok = !vert_ok;
    }
  if (!vert_ok && !horiz_ok)
    return FAST_DECLINED;

  job.transposed = horiz_ok;
  job.width = b->line_width;
  job.alpha = clampd (b->color.alpha, 0, 1);
  if (!job.transposed)
    {
      job.X0 = sx0, job.P0 = sy0, job.S0 = sdy0, job.n0 = b->n0;
      job.X1 = sx1, job.P1 = sy1, job.S1 = sdy1, job.n1 = b->n1;
      job.s_major = fabs (pm.xx);
      job.s_minor = fabs (pm.yy);
    }
  else
    {
      job.X0 = sy0, job.P0 = sx0, job.S0 = sdx0, job.n0 = b->n0;
      job.X1 = sy1, job.P1 = sx1, job.S1 = sdx1, job.n1 = b->n1;
      job.s_major = fabs (pm.yy);
      job.s_minor = fabs (pm.xx);
    }
  if (job.X1 < job.X0)
    {
      double tmp;
      guint tn;

      tmp = job.X0, job.X0 = job.X1, job.X1 = tmp;
      tmp = job.P0, job.P0 = job.P1, job.P1 = tmp;
      tmp = job.S0, job.S0 = job.S1, job.S1 = tmp;
      tn = job.n0, job.n0 = job.n1, job.n1 = tn;
    }

  /* Nearly vertical or very steep edges: the column model's approximations
   * (butt caps, one sample per column) show; small bundles like that are
   * cheap to stroke. (Wide ones, as in a view zoomed far in, are drawn: a
   * band's whole rows cost one count, and cairo would take seconds.) */
  {
    double D = job.X1 - job.X0;
    double m_max = 0;

    if (D < 0.5)
      return FAST_DECLINED;
    for (int e0 = 0; e0 < 2; e0++)
      for (int e1 = 0; e1 < 2; e1++)
        m_max = MAX (m_max, fabs (job.P1 + (e1 ? (job.n1 - 1) * job.S1 : 0)
                                  - job.P0 - (e0 ? (job.n0 - 1) * job.S0 : 0)) / D);
    job.m_max = m_max;
    job.hmax = band_half (&job, m_max);
    job.ext = 0.5 * job.width * job.s_major + 0.5;
    if (n_edges <= NAIVE_FALLBACK_EDGES && (m_max > 12 || D < 4))
      return FAST_DECLINED;
  }

  if (!nns_pixel_clip (cr, &cx0, &cy0, &cx1, &cy1))
    return FAST_INVISIBLE;

  {
    double hmax, lo, hi, c0d, c1d, w0d, w1d;
    int mx0, my0, mx1, my1;
    cairo_surface_t *mask;

    /* the bundle's bounding box in pixels, in job coordinates */
    lo = MIN (MIN (job.P0, job.P0 + (job.n0 - 1) * job.S0), MIN (job.P1, job.P1 + (job.n1 - 1) * job.S1));
    hi = MAX (MAX (job.P0, job.P0 + (job.n0 - 1) * job.S0), MAX (job.P1, job.P1 + (job.n1 - 1) * job.S1));
    hmax = job.hmax + 2;
    c0d = floor (job.X0 - job.ext - 1);
    c1d = ceil (job.X1 + job.ext + 1);
    w0d = floor (lo - hmax);
    w1d = ceil (hi + hmax);

    if (!job.transposed)
      {
        mx0 = (int) MAX (c0d, cx0), mx1 = (int) MIN (c1d, cx1);
        my0 = (int) MAX (w0d, cy0), my1 = (int) MIN (w1d, cy1);
      }
    else
      {
        mx0 = (int) MAX (w0d, cx0), mx1 = (int) MIN (w1d, cx1);
        my0 = (int) MAX (c0d, cy0), my1 = (int) MIN (c1d, cy1);
      }
    if (mx0 >= mx1 || my0 >= my1)
      return FAST_INVISIBLE;

    mask = nns_pixel_new_mask (mx1 - mx0, my1 - my0);
    if (mask == NULL)
      return FAST_DECLINED;
    q->job = job;
    q->mask = mask;
    q->mx0 = mx0;
    q->my0 = my0;
    q->color = b->color;
    if (!job.transposed)
      raster_prepare (&q->ra, &q->job, cairo_image_surface_get_data (mask),
                      cairo_image_surface_get_stride (mask), mx0, my0, mx0, mx1, my0, my1);
    else
      raster_prepare (&q->ra, &q->job, cairo_image_surface_get_data (mask),
                      cairo_image_surface_get_stride (mask), mx0, my0, my0, my1, mx0, mx1);
  }
  return FAST_QUEUED;
}

/* --- vector targets ------------------------------------------------------ */

/* The bundle's box in device units, whole units, within the clip; FALSE
 * when empty. */
static gboolean
device_bounds (cairo_t *cr, const NnsEdgeBundle *b, double *x, double *y, double *w, double *h)
{
  double xs[4] = { b->x0, b->x0 + (b->n0 - 1) * b->dx0, b->x1, b->x1 + (b->n1 - 1) * b->dx1 };
  double ys[4] = { b->y0, b->y0 + (b->n0 - 1) * b->dy0, b->y1, b->y1 + (b->n1 - 1) * b->dy1 };
  double bx0 = G_MAXDOUBLE, by0 = G_MAXDOUBLE, bx1 = -G_MAXDOUBLE, by1 = -G_MAXDOUBLE;
  double lw = b->line_width, lwy = 0, cx0, cy0, cx1, cy1;

  for (int k = 0; k < 4; k++)
    {
      double x = xs[k], y = ys[k];

      cairo_user_to_device (cr, &x, &y);
      bx0 = MIN (bx0, x), bx1 = MAX (bx1, x);
      by0 = MIN (by0, y), by1 = MAX (by1, y);
    }
  cairo_user_to_device_distance (cr, &lw, &lwy);
  lw = hypot (lw, lwy) + 2;
  bx0 -= lw, by0 -= lw, bx1 += lw, by1 += lw;

  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_clip_extents (cr, &cx0, &cy0, &cx1, &cy1);
  cairo_restore (cr);
  if (cx1 > cx0 && cy1 > cy0)
    {
      bx0 = MAX (bx0, cx0), by0 = MAX (by0, cy0);
      bx1 = MIN (bx1, cx1), by1 = MIN (by1, cy1);
    }
  bx0 = floor (bx0), by0 = floor (by0), bx1 = ceil (bx1), by1 = ceil (by1);
  *x = bx0;
  *y = by0;
  *w = bx1 - bx0;
  *h = by1 - by0;
  return *w > 0 && *h > 0;
}

/* Paints the bundle as an image of `scale` pixels per device unit. */
static void
draw_rasterised (cairo_t *cr, const NnsEdgeBundle *b, double scale)
{
  double bx0, by0;
  double w, h;
  cairo_surface_t *img;
  cairo_pattern_t *pattern;
  cairo_matrix_t ctm;
  cairo_t *icr;
  int iw, ih;

  if (!device_bounds (cr, b, &bx0, &by0, &w, &h))
    return;
  /* at most 4096 pixels a side, 8 megapixels */
  scale = MIN (scale, 4096 / MAX (w, h));
  scale = MIN (scale, sqrt (8e6 / (w * h)));
  iw = (int) ceil (w * scale);
  ih = (int) ceil (h * scale);
  if (iw <= 0 || ih <= 0)
    return;

  img = cairo_image_surface_create (CAIRO_FORMAT_A8, iw, ih);
  icr = cairo_create (img);
  cairo_get_matrix (cr, &ctm);
  cairo_scale (icr, scale, scale);
  cairo_translate (icr, -bx0, -by0);
  cairo_transform (icr, &ctm);
  nns_edges_draw_bundle (icr, b);
  cairo_destroy (icr);

  /* A coloured image, not a mask: SVG viewers handle cairo's <mask> output
   * unevenly, while an <image> (PDF: an image with a soft mask) is plain. */
  {
    cairo_surface_t *argb = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw, ih);
    const guint8 *src;
    guint8 *dst;
    int ss, ds;
    double red = clampd (b->color.red, 0, 1), green = clampd (b->color.green, 0, 1);
    double blue = clampd (b->color.blue, 0, 1);

    cairo_surface_flush (img);
    cairo_surface_flush (argb);
    src = cairo_image_surface_get_data (img);
    dst = cairo_image_surface_get_data (argb);
    ss = cairo_image_surface_get_stride (img);
    ds = cairo_image_surface_get_stride (argb);
    if (src != NULL && dst != NULL)
      for (int y = 0; y < ih; y++)
        for (int x = 0; x < iw; x++)
          {
            guint32 a = src[y * ss + x];

            ((guint32 *) (dst + y * ds))[x] =
              a << 24 | (guint32) (red * a + 0.5) << 16 | (guint32) (green * a + 0.5) << 8
              | (guint32) (blue * a + 0.5);
          }
    cairo_surface_mark_dirty (argb);

    cairo_save (cr);
    cairo_identity_matrix (cr);
    cairo_translate (cr, bx0, by0);
    cairo_scale (cr, 1 / scale, 1 / scale);
    pattern = cairo_pattern_create_for_surface (argb);
    cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
    cairo_set_source (cr, pattern);
    cairo_paint (cr);
    cairo_pattern_destroy (pattern);
    cairo_restore (cr);
    cairo_surface_destroy (argb);
  }
  cairo_surface_destroy (img);
}

/* Up to how far (of 255) a gradient may stray from the mask it replaces. */
#define SHADE_TOLERANCE 4.0
/* Most strips a bundle is shaded with, across its length. */
#define SHADE_MAX_STRIPS 160

/* Indices of the samples a piecewise-linear run through a[0 … n - 1] needs to
 * stay within SHADE_TOLERANCE of every sample: O(n), by narrowing the cone of
 * slopes from each segment's start. */
static guint
simplify_profile (const double *a, guint n, guint *keep)
{
  guint k = 0, start = 0;
  double lo = -G_MAXDOUBLE, hi = G_MAXDOUBLE;

  keep[k++] = 0;
  for (guint i = start + 1; i < n; i++)
    {
      double d = i - start;
      double l = (a[i] - SHADE_TOLERANCE - a[start]) / d;
      double h = (a[i] + SHADE_TOLERANCE - a[start]) / d;

      if (MAX (lo, l) > MIN (hi, h))
        {
          /* The run ends at the sample before. */
          start = i - 1;
          keep[k++] = start;
          lo = (a[i] - SHADE_TOLERANCE - a[start]);
          hi = (a[i] + SHADE_TOLERANCE - a[start]);
          continue;
        }
      lo = MAX (lo, l);
      hi = MIN (hi, h);
    }
  if (keep[k - 1] != n - 1)
    keep[k++] = n - 1;
  return k;
}

/* SVG, PDF: the bundle as vector shading, no image. Its coverage (the same
 * closed form as on screen, computed on a mask) is cut into strips across the
 * bundle's length, each filled with a linear gradient along it whose stops
 * follow the coverage within SHADE_TOLERANCE. */
static void
draw_shaded (cairo_t *cr, const NnsEdgeBundle *b)
{
  double bx0, by0;
  double w, h, sx, sy;
  double red = clampd (b->color.red, 0, 1), green = clampd (b->color.green, 0, 1);
  double blue = clampd (b->color.blue, 0, 1);
  gboolean across_x;
  cairo_surface_t *img;
  cairo_matrix_t ctm;
  cairo_t *icr;
  int iw, ih, n_strips, n_along;
  const guint8 *data;
  int stride;
  double *profile;
  guint *keep;
  double overlap, ur, ug, ub;

  if (!device_bounds (cr, b, &bx0, &by0, &w, &h))
    return;

  /* Strips across the bundle's length (which runs from column to column),
   * gradients along the columns: at most SHADE_MAX_STRIPS strips, a sample a
   * device unit along them (at most 4096). */
  across_x = fabs (b->x1 - b->x0) >= fabs (b->y1 - b->y0);
  n_strips = (int) MIN (ceil (across_x ? w : h), SHADE_MAX_STRIPS);
  n_along = (int) MIN (ceil (across_x ? h : w), 4096);
  iw = across_x ? n_strips : n_along;
  ih = across_x ? n_along : n_strips;
  sx = iw / w;
  sy = ih / h;

  img = cairo_image_surface_create (CAIRO_FORMAT_A8, iw, ih);
  icr = cairo_create (img);
  cairo_get_matrix (cr, &ctm);
  cairo_scale (icr, sx, sy);
  cairo_translate (icr, -bx0, -by0);
  cairo_transform (icr, &ctm);
  nns_edges_draw_bundle (icr, b);
  cairo_destroy (icr);
  cairo_surface_flush (img);
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  if (data == NULL)
    {
      cairo_surface_destroy (img);
      return;
    }

  /* Opaque strips overlap the next one by half a unit, hiding the seam an
   * antialiasing viewer would leave between them. */
  overlap = b->has_under ? 0.5 : 0;
  ur = clampd (b->under.red, 0, 1), ug = clampd (b->under.green, 0, 1);
  ub = clampd (b->under.blue, 0, 1);
  profile = g_new (double, n_along);
  keep = g_new (guint, n_along + 1);
  cairo_save (cr);
  /* The strips' ends are steps; the bundle's own outline (its two column
   * segments joined, a line width out) trims them. */
  {
    double ux = b->dx0 * (b->n0 - 1), uy = b->dy0 * (b->n0 - 1);
    double vx = b->dx1 * (b->n1 - 1), vy = b->dy1 * (b->n1 - 1);
    double len0 = hypot (ux, uy), len1 = hypot (vx, vy), pad = b->line_width;
    double ex0 = len0 > 0 ? ux / len0 : (len1 > 0 ? vx / len1 : 0);
    double ey0 = len0 > 0 ? uy / len0 : (len1 > 0 ? vy / len1 : 1);
    double ex1 = len1 > 0 ? vx / len1 : ex0, ey1 = len1 > 0 ? vy / len1 : ey0;

    cairo_move_to (cr, b->x0 - pad * ex0, b->y0 - pad * ey0);
    cairo_line_to (cr, b->x1 - pad * ex1, b->y1 - pad * ey1);
    cairo_line_to (cr, b->x1 + vx + pad * ex1, b->y1 + vy + pad * ey1);
    cairo_line_to (cr, b->x0 + ux + pad * ex0, b->y0 + uy + pad * ey0);
    cairo_close_path (cr);
    cairo_clip (cr);
  }
  cairo_identity_matrix (cr);
  for (int i = 0; i < n_strips; i++)
    {
      int first = -1, last = -1;
      guint n_keep;
      cairo_pattern_t *gradient;
      double s0, s1, a0, a1;

      for (int j = 0; j < n_along; j++)
        {
          profile[j] = across_x ? data[j * stride + i] : data[i * stride + j];
          if (profile[j] > 0)
            {
              if (first < 0)
                first = j;
              last = j;
            }
        }
      if (first < 0)
        continue;
      /* One sample of clear on each side, so the ends fade as on screen. */
      first = MAX (first - 1, 0);
      last = MIN (last + 1, n_along - 1);
      n_keep = simplify_profile (profile + first, last - first + 1, keep);

      /* Device coordinates of the strip and of its gradient's ends. */
      if (across_x)
        {
          s0 = bx0 + i / sx, s1 = bx0 + (i + 1) / sx;
          a0 = by0 + (first + 0.5) / sy, a1 = by0 + (last + 0.5) / sy;
          gradient = cairo_pattern_create_linear (0, a0, 0, a1);
          cairo_rectangle (cr, s0, by0 + first / sy, s1 - s0 + overlap, (last - first + 1) / sy);
        }
      else
        {
          s0 = by0 + i / sy, s1 = by0 + (i + 1) / sy;
          a0 = bx0 + (first + 0.5) / sx, a1 = bx0 + (last + 0.5) / sx;
          gradient = cairo_pattern_create_linear (a0, 0, a1, 0);
          cairo_rectangle (cr, bx0 + first / sx, s0, (last - first + 1) / sx, s1 - s0 + overlap);
        }
      for (guint k = 0; k < n_keep; k++)
        {
          double offset = last > first ? keep[k] / (double) (last - first) : 0;
          double a = profile[first + keep[k]] / 255.0;

          if (b->has_under)
            cairo_pattern_add_color_stop_rgb (gradient, offset, a * red + (1 - a) * ur,
                                              a * green + (1 - a) * ug, a * blue + (1 - a) * ub);
          else
            cairo_pattern_add_color_stop_rgba (gradient, offset, red, green, blue, a);
        }
      cairo_set_source (cr, gradient);
      cairo_fill (cr);
      cairo_pattern_destroy (gradient);
    }
  cairo_restore (cr);
  g_free (profile);
  g_free (keep);
  cairo_surface_destroy (img);
}

/* --- batches ------------------------------------------------------------- */

/* Queued masks past this many bytes are drawn before more are queued (a
 * bundle that big has columns enough to share on its own). */
#define BATCH_MAX_MASK_BYTES (32u << 20)

struct _NnsEdgeBatch
{
  cairo_t   *cr;
  GPtrArray *queued;        /* Queued *, in drawing order */
  gsize      mask_bytes;
};

NnsEdgeBatch *
nns_edges_batch_new (cairo_t *cr)
{
  NnsEdgeBatch *batch = g_new0 (NnsEdgeBatch, 1);

  batch->cr = cairo_reference (cr);
  batch->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) queued_free);
  return batch;
}

/* Paints queued bundle k, whose mask is drawn. */
static void
batch_paint (gpointer data, int k)
{
  NnsEdgeBatch *batch = data;
  Queued *q = g_ptr_array_index (batch->queued, k);

  /* (which frees the mask) */
  nns_pixel_paint_mask (batch->cr, q->mask, q->mx0, q->my0, &q->color, 1.0);
  q->mask = NULL;
}

void
nns_edges_batch_flush (NnsEdgeBatch *batch)
{
  guint n = batch->queued->len;
  g_autofree Raster **ras = NULL;

  if (n == 0)
    return;
  ras = g_new (Raster *, n);
  for (guint k = 0; k < n; k++)
    ras[k] = &((Queued *) g_ptr_array_index (batch->queued, k))->ra;
  /* each mask painted once drawn, in the order queued */
  rasters_draw (ras, (int) n, batch_paint, batch);
  g_ptr_array_set_size (batch->queued, 0);
  batch->mask_bytes = 0;
}

void
nns_edges_batch_free (NnsEdgeBatch *batch)
{
  if (batch == NULL)
    return;
  nns_edges_batch_flush (batch);
  g_ptr_array_unref (batch->queued);
  cairo_destroy (batch->cr);
  g_free (batch);
}

void
nns_edges_batch_add (NnsEdgeBatch        *batch,
                     const NnsEdgeBundle *bundle)
{
  cairo_t *cr;
  cairo_surface_type_t type;
  guint64 n_edges;

  g_return_if_fail (batch != NULL);
  g_return_if_fail (bundle != NULL);

  cr = batch->cr;
  if (bundle->n0 == 0 || bundle->n1 == 0 || !(bundle->line_width > 0)
      || !(bundle->color.alpha > 0) || !bundle_finite (bundle)
      || cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    return;

  type = cairo_surface_get_type (cairo_get_target (cr));
  if (type == CAIRO_SURFACE_TYPE_IMAGE && !force_naive ())
    {
      Queued *q = g_new0 (Queued, 1);

      switch (fast_image_prepare (cr, bundle, q))
        {
        case FAST_QUEUED:
          g_ptr_array_add (batch->queued, q);
          batch->mask_bytes += (gsize) cairo_image_surface_get_stride (q->mask)
                               * cairo_image_surface_get_height (q->mask);
          if (batch->mask_bytes > BATCH_MAX_MASK_BYTES)
            nns_edges_batch_flush (batch);
          return;
        case FAST_INVISIBLE:
          g_free (q);
          return;
        case FAST_DECLINED:
        default:
          g_free (q);
          break;
        }
    }

  /* drawn now: after what is queued */
  nns_edges_batch_flush (batch);
  n_edges = (guint64) bundle->n0 * bundle->n1;
  if (force_naive () || type == CAIRO_SURFACE_TYPE_IMAGE)
    nns_edges_draw_bundle_naive (cr, bundle);
  else if (type == CAIRO_SURFACE_TYPE_RECORDING)
    {
      /* replayed later onto pixels (the GTK canvas): rasterise unless tiny */
      if (n_edges <= RECORDING_MAX_EDGES)
        nns_edges_draw_bundle_naive (cr, bundle);
      else
        draw_rasterised (cr, bundle, 1.0);
    }
  else
    {
      /* SVG, PDF, …: real lines while the file stays small, then vector shading */
      if (n_edges <= VECTOR_MAX_EDGES)
        nns_edges_draw_bundle_naive (cr, bundle);
      else
        draw_shaded (cr, bundle);
    }
}

void
nns_edges_draw_bundle (cairo_t             *cr,
                       const NnsEdgeBundle *bundle)
{
  NnsEdgeBatch *batch;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (bundle != NULL);

  batch = nns_edges_batch_new (cr);
  nns_edges_batch_add (batch, bundle);
  nns_edges_batch_free (batch);
}

/* --- readable density ---------------------------------------------------- */

/* The rule: a bundle of n0·n1 edges of width w spread over span (the longer
 * of its two columns, first to last neuron, same units as w) covers a line
 * across it about d = n0·n1·w / span times over on average, and about twice
 * that in the middle where the two fans overlap most. Each edge gets the
 * opacity a that makes that densest part 1 − (1 − a)^(2d) = 0.75 — never
 * more than base_opacity. Sparse bundles keep base_opacity; dense ones turn
 * into shading whose darkness follows how many edges pass, so the bundle's
 * shape stays visible instead of becoming a solid block. */
#define DENSITY_TARGET 0.75

double
nns_edges_density_opacity (guint  n0,
                           guint  n1,
                           double span,
                           double line_width,
                           double base_opacity)
{
  double d, a;

  base_opacity = clampd (isfinite (base_opacity) ? base_opacity : 1, 0, 1);
  if (n0 == 0 || n1 == 0 || !(line_width > 0) || !isfinite (line_width))
    return base_opacity;
  span = isfinite (span) ? MAX (span, line_width) : line_width;
  d = 2.0 * n0 * (double) n1 * line_width / span;
  a = 1.0 - pow (1.0 - DENSITY_TARGET, 1.0 / d);
  return MIN (a, base_opacity);
}

/* --- a fan: one point to many, opaque ------------------------------------- */

/* Column i of a fan's line (a row when transposed): the band
 * [c − half, c + half] covers each pixel by the length it overlaps it,
 * times share, the part of the column the segment spans. */
static void
fan_column (guint8 *mask, int stride, gboolean transposed, int n_minor, int i, double c,
            double half, double share)
{
  double lo = c - half, hi = c + half;
  int j0, j1;
  guint8 *p;
  gsize step = transposed ? 1 : (gsize) stride;

  if (hi <= 0 || lo >= n_minor)
    return;
  /* (lo < 0 and ⌈hi⌉ past the mask are clamped: a cast is ⌊·⌋ there) */
  j0 = lo > 0 ? (int) lo : 0;
  j1 = MIN ((int) hi + 1, n_minor);
  p = transposed ? mask + (gsize) i * stride + j0 : mask + (gsize) j0 * stride + i;
  for (int j = j0; j < j1; j++, p += step)
    {
      double cover = (MIN (hi, j + 1.0) - MAX (lo, (double) j)) * share;
      guint8 v = (guint8) (clampd (cover, 0, 1) * 255 + 0.5);

      if (v > *p)
        *p = v;
    }
}

/* One line of the fan into the mask, column by column along its major axis:
 * in each pixel column the band of the line (its width across, stretched by
 * the slope) covers each pixel by the length it overlaps it, the column's
 * own share of the segment counted; the union of opaque lines keeps the
 * larger cover of each pixel. */
static void
fan_line (guint8 *mask, int stride, int w, int h, double ax, double ay, double bx, double by,
          double width)
{
  gboolean transposed = fabs (by - ay) > fabs (bx - ax);
  double m, half;
  int i0, i1, n_major = transposed ? h : w, n_minor = transposed ? w : h;

  if (transposed)
    {
      double t;

      t = ax, ax = ay, ay = t;
      t = bx, bx = by, by = t;
    }
  if (bx < ax)
    {
      double t;

      t = ax, ax = bx, bx = t;
      t = ay, ay = by, by = t;
    }
  if (bx - ax <= 0)
    return;
  m = (by - ay) / (bx - ax);
  half = 0.5 * width * sqrt (1 + m * m);
  i0 = MAX ((int) floor (ax), 0);
  i1 = MIN ((int) ceil (bx), n_major);
  /* The whole columns between the ends, in fixed point (2^-24 px): the
   * centre steps by the slope, and a column's first and last pixels take
   * the fractions of the band's edges, the ones between them are whole. */
  {
    int ia = MAX (i0, (int) ceil (ax)), ib = MIN (i1, (int) floor (bx));
    const double one = 16777216.0;
    gint64 half24 = (gint64) (half * one + 0.5), m24 = (gint64) llround (m * one);
    gint64 c24 = (gint64) llround ((ay + m * (ia + 0.5 - ax)) * one);
    gint64 top = (gint64) n_minor << 24;
    gsize step = transposed ? 1 : (gsize) stride;

    for (int i = ia; i < ib; i++, c24 += m24)
      {
        gint64 lo = c24 - half24, hi = c24 + half24;
        int j0, jh;
        guint8 *p, v;

        if (lo < 0 || hi >= top || hi - lo < one)
          {
            fan_column (mask, stride, transposed, n_minor, i, ay + m * (i + 0.5 - ax), half,
                        1.0);
            continue;
          }
        j0 = (int) (lo >> 24);
        jh = (int) (hi >> 24);
        p = transposed ? mask + (gsize) i * stride + j0 : mask + (gsize) j0 * stride + i;
        v = (guint8) ((((((gint64) j0 + 1) << 24) - lo) * 255 + (1 << 23)) >> 24);
        if (v > *p)
          *p = v;
        p += step;
        for (int j = j0 + 1; j < jh; j++, p += step)
          *p = 255;
        v = (guint8) (((hi - ((gint64) jh << 24)) * 255 + (1 << 23)) >> 24);
        if (v > *p)
          *p = v;
      }
    /* the end columns, which the segment covers only partly: before the
     * whole ones and after them (all of them when there are none) */
    {
      const int ends[2][2] = { { i0, MIN (ia, i1) }, { MAX (ia, ib), i1 } };

      for (int e = 0; e < 2; e++)
        for (int i = ends[e][0]; i < ends[e][1]; i++)
          {
            double s0 = MAX (ax, (double) i), s1 = MIN (bx, i + 1.0);

            if (s1 - s0 > 0)
              fan_column (mask, stride, transposed, n_minor, i, ay + m * (0.5 * (s0 + s1) - ax),
                          half, s1 - s0);
          }
    }
  }
}

/* A fan whose mask a helper may draw while the caller draws another: the
 * first of the helper and nns_edges_fan_finish() to claim it draws it. */
enum { FAN_QUEUED, FAN_DRAWING, FAN_DRAWN };

struct _NnsEdgeFan
{
  HelperTask       task;
  gint             ref, state;
  gboolean         launched;
  GMutex           lock;
  GCond            drawn;
  cairo_surface_t *mask;    /* NULL: nothing to draw (outside the clip, no ends) */
  int              mx0, my0;
  double           sx, sy, wpx; /* the point and the width, device pixels */
  double          *ends;    /* the ends, device pixels from the mask's origin */
  guint            n;
  NnsColor         color;
};

static void
fan_unref (NnsEdgeFan *fan)
{
  if (!g_atomic_int_dec_and_test (&fan->ref))
    return;
  g_clear_pointer (&fan->mask, cairo_surface_destroy);
  g_free (fan->ends);
  g_mutex_clear (&fan->lock);
  g_cond_clear (&fan->drawn);
  g_free (fan);
}

/* The fan's lines into its mask. A run of ends closer than the line width
 * draws a solid wedge: the triangle from the point to the run's first and
 * last ends is filled, and only those two lines are drawn, whose width
 * makes the wedge's sides. */
static void
fan_draw_mask (NnsEdgeFan *fan)
{
  guint8 *data = cairo_image_surface_get_data (fan->mask);
  int stride = cairo_image_surface_get_stride (fan->mask);
  int w = cairo_image_surface_get_width (fan->mask), h = cairo_image_surface_get_height (fan->mask);
  const double *e = fan->ends;
  g_autofree gboolean *inside = g_new0 (gboolean, fan->n);   /* ends within a wedge */
  cairo_t *mcr = NULL;
  guint run = 0;   /* the first end of the current run */

  for (guint i = 1; i <= fan->n; i++)
    {
      if (i < fan->n && hypot (e[2 * i] - e[2 * i - 2], e[2 * i + 1] - e[2 * i - 1]) < fan->wpx)
        continue;
      /* ends run … i - 1 */
      if (i - 1 >= run + 2)
        {
          if (mcr == NULL)
            mcr = cairo_create (fan->mask);
          cairo_move_to (mcr, fan->sx, fan->sy);
          cairo_line_to (mcr, e[2 * run], e[2 * run + 1]);
          cairo_line_to (mcr, e[2 * (i - 1)], e[2 * (i - 1) + 1]);
          cairo_close_path (mcr);
          for (guint k = run + 1; k < i - 1; k++)
            inside[k] = TRUE;
        }
      run = i;
    }
  if (mcr != NULL)
    {
      cairo_fill (mcr);
      cairo_destroy (mcr);
      cairo_surface_flush (fan->mask);
    }
  for (guint i = 0; i < fan->n; i++)
    if (!inside[i])
      fan_line (data, stride, w, h, fan->sx, fan->sy, e[2 * i], e[2 * i + 1], fan->wpx);
}

/* Draws the mask if nobody has claimed it yet: TRUE if this call did. */
static gboolean
fan_claim (NnsEdgeFan *fan)
{
  if (!g_atomic_int_compare_and_exchange (&fan->state, FAN_QUEUED, FAN_DRAWING))
    return FALSE;
  fan_draw_mask (fan);
  g_mutex_lock (&fan->lock);
  fan->state = FAN_DRAWN;
  g_cond_broadcast (&fan->drawn);
  g_mutex_unlock (&fan->lock);
  return TRUE;
}

static void
fan_help (gpointer data)
{
  fan_claim (data);
  fan_unref (data);
}

NnsEdgeFan *
nns_edges_fan_start (cairo_t *cr, double x, double y, const double *xy, guint n,
                     double line_width, const NnsColor *color)
{
  cairo_surface_t *target = cairo_get_target (cr);
  NnsPixelMap pm;
  double px0, py0, px1, py1, sx, sy;
  int cx0, cy0, cx1, cy1, mx0, my0, mx1, my1;
  NnsEdgeFan *fan;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE || force_naive ()
      || !nns_pixel_map (cr, &pm) || fabs (fabs (pm.xx) - fabs (pm.yy)) > 1e-9 * fabs (pm.xx)
      || !isfinite (x) || !isfinite (y) || !isfinite (line_width))
    return NULL;
  sx = pm.xx * x + pm.x0;
  sy = pm.yy * y + pm.y0;
  px0 = px1 = sx;
  py0 = py1 = sy;
  for (guint i = 0; i < n; i++)
    {
      double qx = pm.xx * xy[2 * i] + pm.x0, qy = pm.yy * xy[2 * i + 1] + pm.y0;

      if (!isfinite (qx) || !isfinite (qy))
        return NULL;
      px0 = MIN (px0, qx), px1 = MAX (px1, qx);
      py0 = MIN (py0, qy), py1 = MAX (py1, qy);
    }
  fan = g_new0 (NnsEdgeFan, 1);
  fan->task.run = fan_help;
  fan->ref = 1;
  fan->state = FAN_DRAWN;
  g_mutex_init (&fan->lock);
  g_cond_init (&fan->drawn);
  /* A highlight stays visible when the view is zoomed far out. */
  fan->wpx = MAX (line_width * fabs (pm.xx), 1.0);
  fan->color = *color;
  if (n == 0 || !nns_pixel_clip (cr, &cx0, &cy0, &cx1, &cy1))
    return fan;
  /* The box of every line, its width and a pixel of rounding around it. */
  mx0 = (int) MAX (floor (px0 - fan->wpx - 1), cx0);
  my0 = (int) MAX (floor (py0 - fan->wpx - 1), cy0);
  mx1 = (int) MIN (ceil (px1 + fan->wpx + 1), cx1);
  my1 = (int) MIN (ceil (py1 + fan->wpx + 1), cy1);
  if (mx0 >= mx1 || my0 >= my1)
    return fan;
  fan->mask = nns_pixel_new_mask (mx1 - mx0, my1 - my0);
  if (fan->mask == NULL)
    {
      fan_unref (fan);
      return NULL;
    }
  fan->mx0 = mx0;
  fan->my0 = my0;
  fan->sx = sx - mx0;
  fan->sy = sy - my0;
  fan->n = n;
  fan->ends = g_new (double, 2 * (gsize) n);
  for (guint i = 0; i < n; i++)
    {
      fan->ends[2 * i] = pm.xx * xy[2 * i] + pm.x0 - mx0;
      fan->ends[2 * i + 1] = pm.yy * xy[2 * i + 1] + pm.y0 - my0;
    }
  fan->state = FAN_QUEUED;
  return fan;
}

void
nns_edges_fan_launch (NnsEdgeFan *fan)
{
  GThreadPool *pool = single_thread ? NULL : helpers ();

  g_return_if_fail (fan != NULL);

  if (pool == NULL || fan->launched || g_atomic_int_get (&fan->state) != FAN_QUEUED)
    return;
  fan->launched = TRUE;
  g_atomic_int_inc (&fan->ref);
  g_thread_pool_push (pool, fan, NULL);
}

void
nns_edges_fan_finish (cairo_t *cr, NnsEdgeFan *fan)
{
  g_return_if_fail (fan != NULL);

  if (!fan_claim (fan))
    {
      g_mutex_lock (&fan->lock);
      while (fan->state != FAN_DRAWN)
        g_cond_wait (&fan->drawn, &fan->lock);
      g_mutex_unlock (&fan->lock);
    }
  if (fan->mask != NULL)
    /* (which frees the mask) */
    nns_pixel_paint_mask (cr, g_steal_pointer (&fan->mask), fan->mx0, fan->my0, &fan->color,
                          fan->color.alpha);
  fan_unref (fan);
}

gboolean
nns_edges_draw_fan (cairo_t *cr, double x, double y, const double *xy, guint n,
                    double line_width, const NnsColor *color)
{
  NnsEdgeFan *fan = nns_edges_fan_start (cr, x, y, xy, n, line_width, color);

  if (fan == NULL)
    return FALSE;
  nns_edges_fan_finish (cr, fan);
  return TRUE;
}
