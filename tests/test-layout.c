/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-layout"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fontconfig/fontconfig.h>
#include <math.h>

#include <cairo.h>

#include "nns-layout.h"
#include "nns-network.h"

/* cmocka 1.1 compares floats in single precision; layouts need doubles. */
#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

static NnsNetwork *
net (const char *widths)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (widths, &error);

  assert_null (error);
  return network;
}

/* Every fact a layout must keep, checked on drawn nodes (sampled in huge columns). */
static void
check_layout (const NnsLayout *layout, const NnsStyle *style)
{
  double w = nns_layout_get_width (layout), h = nns_layout_get_height (layout);
  double r = nns_layout_get_radius (layout);
  guint n_columns = nns_layout_get_n_columns (layout);
  double prev_axis = -G_MAXDOUBLE;
  gboolean vertical = style->direction == NNS_DIRECTION_VERTICAL;
  guint column, neuron;

  assert_true (r >= NNS_LAYOUT_MIN_RADIUS - 1e-9);
  assert_true (nns_layout_get_step (layout) >= NNS_LAYOUT_MIN_STEP - 1e-9);
  assert_true (nns_layout_get_step (layout) > 2 * r);

  for (guint c = 0; c < n_columns; c++)
    {
      guint n = nns_layout_get_n_drawn (layout, c);
      guint every = n > 20000 ? 997 : 1;
      NnsNode prev = { 0 }, node, first;

      assert_true (n >= 1);
      assert_true (n <= nns_layout_get_column_width (layout, c));
      if (!style->show_all_neurons && nns_layout_get_column_width (layout, c) > style->collapse_limit)
        {
          assert_true (nns_layout_is_collapsed (layout, c));
          assert_int_equal (n, style->collapse_limit);
        }
      else
        {
          assert_false (nns_layout_is_collapsed (layout, c));
          assert_int_equal (n, nns_layout_get_column_width (layout, c));
        }

      nns_layout_get_drawn_node (layout, c, 0, &first);
      /* Columns are apart by more than a node. */
      if (c > 0)
        assert_true ((vertical ? first.y : first.x) - prev_axis > 2 * r);
      prev_axis = vertical ? first.y : first.x;

      for (guint i = 0; i < n; i++)
        {
          gboolean sampled = i % every == 0 || i + 1 >= n || i < 2;

          if (!sampled && !(i > 0 && (i - 1) % every == 0))
            continue;
          nns_layout_get_drawn_node (layout, c, i, &node);
          assert_int_equal (node.column, c);
          /* Inside the page. */
          assert_true (node.x - r >= 0 && node.x + r <= w);
          assert_true (node.y - r >= 0 && node.y + r <= h);
          /* Same axis for the whole column. */
          assert_true (fabs ((vertical ? node.y : node.x) - prev_axis) < 1e-6);
          if (i > 0 && (i - 1) % every == 0)
            {
              double d = hypot (node.x - prev.x, node.y - prev.y);

              /* Neighbours never overlap; their indices increase. */
              assert_true (d > 2 * r);
              assert_true (node.neuron > prev.neuron);
              /* The space between them hits nothing. */
              assert_false (nns_layout_hit_test (layout, (node.x + prev.x) / 2,
                                                 (node.y + prev.y) / 2, NULL, NULL));
            }
          if (sampled)
            {
              NnsNode again;

              /* Its centre hits itself, and the index maps back to it. */
              assert_true (nns_layout_hit_test (layout, node.x, node.y, &column, &neuron));
              assert_int_equal (column, c);
              assert_int_equal (neuron, node.neuron);
              assert_true (nns_layout_get_node (layout, c, node.neuron, &again));
              assert_true (again.x == node.x && again.y == node.y);
            }
          prev = node;
        }
    }

  /* Far outside hits nothing. */
  assert_false (nns_layout_hit_test (layout, -100, -100, NULL, NULL));
  assert_false (nns_layout_hit_test (layout, w + 100, h / 2, NULL, NULL));
  assert_false (nns_layout_hit_test (layout, w / 2, h + 1000, NULL, NULL));

  /* Labels inside the page. */
  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel label;

      nns_layout_get_label (layout, i, &label);
      assert_true (label.width > 0 && label.height > 0);
      assert_true (label.left >= 0 && label.top >= 0);
      assert_true (label.left + label.width <= w && label.top + label.height <= h);
    }
}

static void
test_many_networks (void **state)
{
  const char *nets[] = { "10,18,20,5", "1,1", "8,4,2", "784,256,128,10", "1000000,1",
                         "1,1000000,3", "3,1000000", "17,16,15,1" };
  const double boxes[][2] = { { 0, 0 }, { 800, 600 }, { 200, 0 }, { 50, 50 } };

  for (guint n = 0; n < G_N_ELEMENTS (nets); n++)
    for (int all = 0; all <= 1; all++)
      for (int dir = 0; dir <= 1; dir++)
        for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
          {
            g_autoptr (NnsNetwork) network = net (nets[n]);
            g_autoptr (NnsLayout) layout = NULL;
            NnsStyle style;

            nns_style_init_default (&style);
            style.show_all_neurons = all;
            style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
            style.show_bias_nodes = b == 1;
            layout = nns_layout_new (network, &style, boxes[b][0], boxes[b][1]);
            check_layout (layout, &style);
          }
}

static void
test_collapsed (void **state)
{
  g_autoptr (NnsNetwork) network = net ("784,256,128,10");
  g_autoptr (NnsLayout) layout = NULL;
  NnsStyle style;
  NnsNode node, a, b;
  double x, y, dx, dy;

  nns_style_init_default (&style);
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_columns (layout), 4);
  assert_int_equal (nns_layout_get_column_width (layout, 0), 784);
  assert_int_equal (nns_layout_get_n_drawn (layout, 0), 16);
  assert_int_equal (nns_layout_get_n_drawn (layout, 3), 10);
  assert_true (nns_layout_is_collapsed (layout, 0));
  assert_false (nns_layout_is_collapsed (layout, 3));

  /* The first 8 and the last 8, true indices. */
  nns_layout_get_drawn_node (layout, 0, 7, &node);
  assert_int_equal (node.neuron, 7);
  nns_layout_get_drawn_node (layout, 0, 8, &node);
  assert_int_equal (node.neuron, 776);
  nns_layout_get_drawn_node (layout, 0, 15, &node);
  assert_int_equal (node.neuron, 783);
  assert_false (nns_layout_get_node (layout, 0, 8, &node));
  assert_false (nns_layout_get_node (layout, 0, 400, &node));
  assert_true (nns_layout_get_node (layout, 0, 783, &node));

  assert_int_equal (nns_layout_get_n_groups (layout, 0), 2);
  assert_int_equal (nns_layout_get_n_groups (layout, 3), 1);

  /* The ellipsis sits in the gap, which hits nothing. */
  assert_true (nns_layout_get_ellipsis (layout, 0, &x, &y, &dx, &dy));
  assert_false (nns_layout_get_ellipsis (layout, 3, &x, &y, &dx, &dy));
  nns_layout_get_drawn_node (layout, 0, 7, &a);
  nns_layout_get_drawn_node (layout, 0, 8, &b);
  assert_true (fabs (x - a.x) < 1e-9 && y > a.y && y < b.y);
  assert_true (fabs (y - (a.y + b.y) / 2) < 1e-9);
  assert_true (b.y - a.y >= 2.5 * nns_layout_get_step (layout));
  assert_false (nns_layout_hit_test (layout, x, y, NULL, NULL));

  /* A limit of 5: first 3, last 2. */
  style.collapse_limit = 5;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_drawn (layout, 1), 5);
  nns_layout_get_drawn_node (layout, 1, 2, &node);
  assert_int_equal (node.neuron, 2);
  nns_layout_get_drawn_node (layout, 1, 3, &node);
  assert_int_equal (node.neuron, 254);

  /* Show all: every neuron. */
  style.show_all_neurons = TRUE;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_drawn (layout, 0), 784);
  assert_true (nns_layout_get_node (layout, 0, 400, &node));
  assert_int_equal (nns_layout_get_n_groups (layout, 0), 1);
}

static void
test_natural_size (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  NnsStyle style;
  NnsNode a, b, c;

  nns_style_init_default (&style);
  layout = nns_layout_new (network, &style, 0, 0);
  /* The style's own sizes: diameter 24, 10 px between, 160 between columns. */
  assert_near (nns_layout_get_radius (layout), 12.0, 1e-9);
  assert_near (nns_layout_get_step (layout), 34.0, 1e-9);
  nns_layout_get_drawn_node (layout, 0, 0, &a);
  nns_layout_get_drawn_node (layout, 0, 1, &b);
  nns_layout_get_drawn_node (layout, 1, 0, &c);
  assert_near (b.y - a.y, 34.0, 1e-9);
  assert_near (c.x - a.x, 160.0, 1e-9);
  /* Columns are centred on one line: the 10 inputs around the 18 (16 drawn + gap). */
  {
    NnsNode a_last, c_last;

    nns_layout_get_drawn_node (layout, 0, 9, &a_last);
    nns_layout_get_drawn_node (layout, 1, 15, &c_last);
    assert_near ((a.y + a_last.y) / 2, (c.y + c_last.y) / 2, 1e-9);
  }
  /* A sensible page: wider than 3 pitches, taller than the 18-column. */
  assert_true (nns_layout_get_width (layout) > 3 * 160 + 24);
  assert_true (nns_layout_get_height (layout) > 17 * 34 + 24);
  assert_true (nns_layout_get_height (layout) < 17 * 34 + 24 + 200);

  /* Vertical: columns go down the page, neurons across. */
  style.direction = NNS_DIRECTION_VERTICAL;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_direction (layout), NNS_DIRECTION_VERTICAL);
  nns_layout_get_drawn_node (layout, 0, 0, &a);
  nns_layout_get_drawn_node (layout, 0, 1, &b);
  nns_layout_get_drawn_node (layout, 1, 0, &c);
  assert_near (b.x - a.x, 34.0, 1e-9);
  assert_near (b.y, a.y, 1e-9);
  assert_near (c.y - a.y, 160.0, 1e-9);
  assert_true (nns_layout_get_height (layout) > nns_layout_get_width (layout) * 0.5);
}

static void
test_box_fitting (void **state)
{
  g_autoptr (NnsNetwork) network = net ("784,256,128,10");
  g_autoptr (NnsLayout) natural = NULL;
  g_autoptr (NnsLayout) fitted = NULL;
  g_autoptr (NnsLayout) floor = NULL;
  g_autoptr (NnsNetwork) huge = net ("1000000,1");
  g_autoptr (NnsLayout) huge_layout = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  natural = nns_layout_new (network, &style, 0, 0);
  /* 784 drawn at 34 px: over 26,000 px tall. */
  assert_true (nns_layout_get_height (natural) > 783 * 34);

  /* 2,400 px is room for 784 neurons at about 3 px: shrinks, fits, no floor. */
  fitted = nns_layout_new (network, &style, 1600, 2400);
  assert_true (nns_layout_get_height (fitted) <= 2400);
  assert_true (nns_layout_get_width (fitted) <= 1600);
  assert_true (nns_layout_get_height (fitted) > 2400 * 0.97);
  assert_true (nns_layout_get_radius (fitted) < 12);
  assert_true (nns_layout_get_step (fitted) > NNS_LAYOUT_MIN_STEP);

  /* 600 px is too small: the floor, larger than the box. */
  floor = nns_layout_new (network, &style, 800, 600);
  assert_near (nns_layout_get_radius (floor), NNS_LAYOUT_MIN_RADIUS, 1e-9);
  assert_near (nns_layout_get_step (floor), NNS_LAYOUT_MIN_STEP, 1e-9);
  assert_true (nns_layout_get_height (floor) > 600);
  /* The columns spread so that, scaled down into the box, it fills the box. */
  assert_near (nns_layout_get_width (floor) / nns_layout_get_height (floor), 800.0 / 600.0, 0.01);

  /* A million neurons at the floor. */
  huge_layout = nns_layout_new (huge, &style, 1000, 1000);
  assert_int_equal (nns_layout_get_n_drawn (huge_layout, 0), 1000000);
  assert_true (nns_layout_get_height (huge_layout) > 999999 * NNS_LAYOUT_MIN_STEP);

  /* A box larger than the natural size: the nodes keep their natural size and
   * spacing, and the export zooms in; the labels shrink in layout units so they
   * come out at their nominal size after the zoom (they used to be magnified). */
  style.show_all_neurons = FALSE;
  nns_layout_free (g_steal_pointer (&natural));
  nns_layout_free (g_steal_pointer (&fitted));
  natural = nns_layout_new (network, &style, 0, 0);
  fitted = nns_layout_new (network, &style, 5000, 5000);
  assert_near (nns_layout_get_fit_scale (natural), 1, 1e-12);
  assert_near (nns_layout_get_text_scale (natural), 1, 1e-12);
  assert_near (nns_layout_get_radius (fitted), 12, 1e-9);
  assert_near (nns_layout_get_step (fitted), 34, 1e-9);
  assert_true (nns_layout_get_fit_scale (fitted) > 4);
  assert_near (nns_layout_get_fit_scale (fitted) * nns_layout_get_text_scale (fitted), 1, 1e-6);
  assert_near (MAX (nns_layout_get_width (fitted), nns_layout_get_height (fitted)) *
                 nns_layout_get_fit_scale (fitted),
               5000, 1e-6);
}

static const char *
label_text (const NnsLayout *layout, NnsLabelKind kind, guint column)
{
  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel label;

      nns_layout_get_label (layout, i, &label);
      if (label.kind == kind && (kind == NNS_LABEL_TOTAL || label.column == column))
        return label.text;
    }
  return NULL;
}

static void
test_labels (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  g_autoptr (NnsNetwork) big = net ("3,1000000,2");
  g_autoptr (NnsLayout) big_layout = NULL;
  NnsStyle style;
  NnsLabel t0, t1;

  nns_style_init_default (&style);
  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_labels (layout), 4 + 3 + 1);
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 0), "Input · 10");
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 1), "Hidden 1 · 18 · ReLU");
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 2), "Hidden 2 · 20");
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 3), "Output · 5");
  assert_null (label_text (layout, NNS_LABEL_PARAMS, 0));
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 1), "198 params");
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 2), "380 params");
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 3), "105 params");
  assert_string_equal (label_text (layout, NNS_LABEL_TOTAL, 0), "683 parameters · 2.7 kB");

  /* Titles side by side do not overlap. */
  for (guint i = 0; i + 1 < 4; i++)
    {
      nns_layout_get_label (layout, i, &t0);
      nns_layout_get_label (layout, i + 1, &t1);
      assert_int_equal (t0.kind, NNS_LABEL_TITLE);
      assert_true (t0.left + t0.width < t1.left);
    }

  /* The true width in a collapsed layer's label. */
  big_layout = nns_layout_new (big, &style, 0, 0);
  assert_string_equal (label_text (big_layout, NNS_LABEL_TITLE, 1), "Hidden 1 · 1,000,000");
  assert_string_equal (label_text (big_layout, NNS_LABEL_PARAMS, 1), "4,000,000 params");

  style.show_labels = FALSE;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_labels (layout), 0);
}

/* Where the labels are in a box: what an export shows after its scale. */
static void
check_box_labels (const NnsLayout *layout, double bw, double bh)
{
  double s = nns_layout_get_fit_scale (layout);

  assert_true (nns_layout_get_width (layout) * s <= bw + 1e-6);
  assert_true (nns_layout_get_height (layout) * s <= bh + 1e-6);
  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel a;

      nns_layout_get_label (layout, i, &a);
      /* 13 px titles and total, 11 px params after the scale. */
      assert_near (a.font_size * s, a.kind == NNS_LABEL_PARAMS ? 11 : 13, 1e-6);
      assert_true (a.height * s >= 10);
      for (guint j = 0; j < i; j++)
        {
          NnsLabel b;

          nns_layout_get_label (layout, j, &b);
          assert_true (a.left >= b.left + b.width || b.left >= a.left + a.width ||
                       a.top >= b.top + b.height || b.top >= a.top + a.height);
        }
    }
}

static void
test_text_scale (void **state)
{
  g_autoptr (NnsNetwork) mnist = net ("784,256,128,10");
  g_autoptr (GString) widths = g_string_new ("10");
  g_autoptr (NnsNetwork) deep = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;

  /* MNIST, every neuron, 1600 × 900: below the floor, so the nodes shrink by
   * the fit scale and the labels grow by its inverse. */
  for (int dir = 0; dir <= 1; dir++)
    {
      g_autoptr (NnsLayout) layout = NULL;

      style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
      layout = nns_layout_new (mnist, &style, 1600, 900);
      assert_true (nns_layout_get_fit_scale (layout) < 1);
      assert_near (nns_layout_get_text_scale (layout) * nns_layout_get_fit_scale (layout), 1, 1e-6);
      assert_near (nns_layout_get_radius (layout), NNS_LAYOUT_MIN_RADIUS, 1e-9);
      assert_int_equal (nns_layout_get_n_labels (layout), 4 + 3 + 1);
      check_layout (layout, &style);
      check_box_labels (layout, 1600, 900);
    }
  style.direction = NNS_DIRECTION_HORIZONTAL;

  /* 256 dense layers in 1600 × 900: titles thinned (first and last kept),
   * params dropped, the total kept. */
  for (int i = 0; i < 256; i++)
    g_string_append (widths, ",10");
  deep = net (widths->str);
  for (int dir = 0; dir <= 1; dir++)
    {
      g_autoptr (NnsLayout) layout = NULL;
      guint titles = 0, total = 0;
      NnsLabel first, last;

      style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
      layout = nns_layout_new (deep, &style, 1600, 900);
      for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
        {
          NnsLabel label;

          nns_layout_get_label (layout, i, &label);
          assert_int_not_equal (label.kind, NNS_LABEL_PARAMS);
          titles += label.kind == NNS_LABEL_TITLE;
          total += label.kind == NNS_LABEL_TOTAL;
        }
      assert_int_equal (total, 1);
      assert_true (titles >= 10 && titles < 257);
      nns_layout_get_label (layout, 0, &first);
      nns_layout_get_label (layout, titles - 1, &last);
      assert_int_equal (first.column, 0);
      assert_int_equal (last.column, 256);
      assert_string_equal (last.text, "Output · 10");
      check_layout (layout, &style);
      check_box_labels (layout, 1600, 900);
    }
  style.direction = NNS_DIRECTION_HORIZONTAL;

  /* The natural layout is untouched by all this. */
  {
    g_autoptr (NnsLayout) layout = nns_layout_new (deep, &style, 0, 0);

    assert_int_equal (nns_layout_get_n_labels (layout), 257 + 256 + 1);
    assert_near (nns_layout_get_text_scale (layout), 1, 1e-12);
  }
}

static void
test_tiny_boxes (void **state)
{
  const char *nets[] = { "784,256,128,10", "1,1", "1000000,1" };
  const double boxes[][2] = { { 50, 50 }, { 20, 20 }, { 1, 1 }, { 150, 100 }, { 50, 0 },
                              { -5, NAN }, { INFINITY, 40 }, { 1e-300, 1e-300 } };

  for (guint n = 0; n < G_N_ELEMENTS (nets); n++)
    for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
      for (int dir = 0; dir <= 1; dir++)
        {
          g_autoptr (NnsNetwork) network = net (nets[n]);
          g_autoptr (NnsLayout) layout = NULL;
          double bw = boxes[b][0], bh = boxes[b][1], s;
          NnsStyle style;

          nns_style_init_default (&style);
          style.show_all_neurons = TRUE;
          style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
          layout = nns_layout_new (network, &style, bw, bh);
          s = nns_layout_get_fit_scale (layout);
          assert_true (isfinite (s) && s > 0);
          assert_true (isfinite (nns_layout_get_width (layout)));
          assert_true (isfinite (nns_layout_get_height (layout)));
          check_layout (layout, &style);
          /* Bad sides count as not given. */
          bw = isfinite (bw) && bw > 0 ? bw : 0;
          bh = isfinite (bh) && bh > 0 ? bh : 0;
          if (bw == 0 && bh == 0)
            continue;
          if (bw == 0)
            bw = G_MAXDOUBLE;
          if (bh == 0)
            bh = G_MAXDOUBLE;
          /* Text that cannot be nominal is not shown at all: the total
           * ("235,146 parameters · 940.6 kB", ~200 px) fits none of these. */
          if (n == 0)
            assert_int_equal (nns_layout_get_n_labels (layout), 0);
          check_box_labels (layout, bw, bh);
        }
}

static void
test_bias_nodes (void **state)
{
  g_autoptr (NnsNetwork) network = net ("3,4,2");
  g_autoptr (NnsLayout) layout = NULL;
  NnsStyle style;
  NnsNode bias, last;

  nns_style_init_default (&style);
  style.show_bias_nodes = TRUE;
  assert_true (nns_network_set_bias (network, 1, FALSE, NULL));
  layout = nns_layout_new (network, &style, 0, 0);
  /* Column 0 feeds layer 0 (bias), column 1 feeds layer 1 (no bias), the output feeds none. */
  assert_true (nns_layout_get_bias_node (layout, 0, &bias));
  assert_false (nns_layout_get_bias_node (layout, 1, &bias));
  assert_false (nns_layout_get_bias_node (layout, 2, &bias));
  assert_true (nns_layout_get_bias_node (layout, 0, &bias));
  assert_int_equal (bias.neuron, 3);
  /* Not counted in the width, below the last neuron, and not a hit. */
  assert_int_equal (nns_layout_get_n_drawn (layout, 0), 3);
  nns_layout_get_drawn_node (layout, 0, 2, &last);
  assert_true (bias.y - last.y > nns_layout_get_step (layout));
  assert_false (nns_layout_hit_test (layout, bias.x, bias.y, NULL, NULL));
  assert_true (bias.y + bias.radius <= nns_layout_get_height (layout));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_many_networks),
    cmocka_unit_test (test_collapsed),
    cmocka_unit_test (test_natural_size),
    cmocka_unit_test (test_box_fitting),
    cmocka_unit_test (test_labels),
    cmocka_unit_test (test_bias_nodes),
    cmocka_unit_test (test_text_scale),
    cmocka_unit_test (test_tiny_boxes),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
