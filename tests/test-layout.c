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
      if (!style->show_all_neurons && nns_layout_get_column_width (layout, c)
                                          > style->collapse_limit + NNS_LAYOUT_ELLIPSIS_ROOM)
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
  assert_int_equal (nns_layout_get_n_drawn (layout, 0), 20);
  assert_int_equal (nns_layout_get_n_drawn (layout, 3), 10);
  assert_true (nns_layout_is_collapsed (layout, 0));
  assert_false (nns_layout_is_collapsed (layout, 3));

  /* The first 10 and the last 10, true indices. */
  nns_layout_get_drawn_node (layout, 0, 9, &node);
  assert_int_equal (node.neuron, 9);
  nns_layout_get_drawn_node (layout, 0, 10, &node);
  assert_int_equal (node.neuron, 774);
  nns_layout_get_drawn_node (layout, 0, 19, &node);
  assert_int_equal (node.neuron, 783);
  assert_false (nns_layout_get_node (layout, 0, 10, &node));
  assert_false (nns_layout_get_node (layout, 0, 400, &node));
  assert_true (nns_layout_get_node (layout, 0, 783, &node));

  assert_int_equal (nns_layout_get_n_groups (layout, 0), 2);
  assert_int_equal (nns_layout_get_n_groups (layout, 3), 1);

  /* The ellipsis sits in the gap, which hits nothing. */
  assert_true (nns_layout_get_ellipsis (layout, 0, &x, &y, &dx, &dy));
  assert_false (nns_layout_get_ellipsis (layout, 3, &x, &y, &dx, &dy));
  nns_layout_get_drawn_node (layout, 0, 9, &a);
  nns_layout_get_drawn_node (layout, 0, 10, &b);
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

/* The lesson's networks with every neuron; the ellipsis only where it hides
 * more neurons than it takes the room of. */
static void
test_lesson_in_full (void **state)
{
  const char *nets[] = { "10,18,20,5", "8,4,2" };
  NnsStyle style;

  nns_style_init_default (&style);
  for (guint n = 0; n < G_N_ELEMENTS (nets); n++)
    {
      g_autoptr (NnsNetwork) network = net (nets[n]);
      g_autoptr (NnsLayout) layout = nns_layout_new (network, &style, 0, 0);

      for (guint c = 0; c < nns_layout_get_n_columns (layout); c++)
        {
          assert_false (nns_layout_is_collapsed (layout, c));
          assert_int_equal (nns_layout_get_n_drawn (layout, c),
                            nns_layout_get_column_width (layout, c));
        }
    }
  {
    /* Limit 20: 22 is shown whole (the dots would take the room of 2), 23 collapses. */
    g_autoptr (NnsNetwork) network = net ("22,23");
    g_autoptr (NnsLayout) layout = nns_layout_new (network, &style, 0, 0);

    assert_false (nns_layout_is_collapsed (layout, 0));
    assert_true (nns_layout_is_collapsed (layout, 1));
    assert_int_equal (nns_layout_get_n_drawn (layout, 1), 20);
  }
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
  /* The style's own sizes: diameter 24, 10 px between, at least 160 between columns. */
  assert_near (nns_layout_get_radius (layout), 12.0, 1e-9);
  assert_near (nns_layout_get_step (layout), 34.0, 1e-9);
  assert_near (nns_layout_get_text_scale (layout), 1.0, 1e-9);
  nns_layout_get_drawn_node (layout, 0, 0, &a);
  nns_layout_get_drawn_node (layout, 0, 1, &b);
  nns_layout_get_drawn_node (layout, 1, 0, &c);
  assert_near (b.y - a.y, 34.0, 1e-9);
  assert_true (c.x - a.x >= 160.0);
  /* Columns are centred on one line. */
  {
    NnsNode a_last, c_last;

    nns_layout_get_drawn_node (layout, 0, 9, &a_last);
    nns_layout_get_drawn_node (layout, 1, 17, &c_last);
    assert_near ((a.y + a_last.y) / 2, (c.y + c_last.y) / 2, 1e-9);
  }
  /* Landscape: 4 : 3. */
  assert_near (nns_layout_get_width (layout) / nns_layout_get_height (layout), 4.0 / 3.0, 1e-6);
  assert_true (nns_layout_get_height (layout) > 19 * 34 + 24);
  assert_true (nns_layout_get_height (layout) < 19 * 34 + 24 + 200);

  /* A box only sets the fit scale: the layout is the same. */
  {
    g_autoptr (NnsLayout) boxed = nns_layout_new (network, &style, 400, 300);
    NnsNode d;

    assert_near (nns_layout_get_width (boxed), nns_layout_get_width (layout), 1e-9);
    assert_near (nns_layout_get_height (boxed), nns_layout_get_height (layout), 1e-9);
    nns_layout_get_drawn_node (boxed, 1, 0, &d);
    assert_near (d.x, c.x, 1e-9);
    assert_near (d.y, c.y, 1e-9);
    assert_near (nns_layout_get_fit_scale (boxed),
                 MIN (400 / nns_layout_get_width (layout), 300 / nns_layout_get_height (layout)),
                 1e-9);
  }

  /* Every neuron of MNIST: nodes at the floor, the text grown with the drawing. */
  {
    g_autoptr (NnsNetwork) mnist = net ("784,256,128,10");
    g_autoptr (NnsLayout) all = NULL;

    style.show_all_neurons = TRUE;
    all = nns_layout_new (mnist, &style, 0, 0);
    assert_near (nns_layout_get_step (all), NNS_LAYOUT_MIN_STEP, 1e-9);
    assert_near (nns_layout_get_text_scale (all),
                 (783 * NNS_LAYOUT_MIN_STEP + 2 * nns_layout_get_radius (all)) / NNS_LAYOUT_ALONG_MAX,
                 1e-9);
    assert_near (nns_layout_get_width (all) / nns_layout_get_height (all), 4.0 / 3.0, 1e-6);
    style.show_all_neurons = FALSE;
  }

  /* Vertical: columns go down the page, neurons across; portrait. */
  style.direction = NNS_DIRECTION_VERTICAL;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_direction (layout), NNS_DIRECTION_VERTICAL);
  nns_layout_get_drawn_node (layout, 0, 0, &a);
  nns_layout_get_drawn_node (layout, 0, 1, &b);
  nns_layout_get_drawn_node (layout, 1, 0, &c);
  assert_near (b.x - a.x, 34.0, 1e-9);
  assert_near (b.y, a.y, 1e-9);
  assert_true (c.y - a.y >= 160.0);
  assert_near (nns_layout_get_height (layout) / nns_layout_get_width (layout), 4.0 / 3.0, 1e-6);
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

static guint
count_kind (const NnsLayout *layout, NnsLabelKind kind)
{
  guint n = 0;

  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel label;

      nns_layout_get_label (layout, i, &label);
      n += label.kind == kind;
    }
  return n;
}

static void
test_labels (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  g_autoptr (NnsNetwork) big = net ("3,1000000,2");
  g_autoptr (NnsLayout) big_layout = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL));
  layout = nns_layout_new (network, &style, 0, 0);
  /* 4 titles, 4 widths, 1 activation, 3 params, the total. */
  assert_int_equal (nns_layout_get_n_labels (layout), 4 + 4 + 1 + 3 + 1);
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 0), "Input");
  assert_string_equal (label_text (layout, NNS_LABEL_WIDTH, 0), "10");
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 1), "Hidden 1");
  assert_string_equal (label_text (layout, NNS_LABEL_WIDTH, 1), "18");
  assert_string_equal (label_text (layout, NNS_LABEL_ACTIVATION, 1), "ReLU");
  assert_null (label_text (layout, NNS_LABEL_ACTIVATION, 2));
  assert_string_equal (label_text (layout, NNS_LABEL_TITLE, 3), "Output");
  assert_null (label_text (layout, NNS_LABEL_PARAMS, 0));
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 1), "198 params");
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 2), "380 params");
  assert_string_equal (label_text (layout, NNS_LABEL_PARAMS, 3), "105 params");
  assert_string_equal (label_text (layout, NNS_LABEL_TOTAL, 0), "683 parameters · 2.7 kB");

  /* The true width in a collapsed layer's label. */
  big_layout = nns_layout_new (big, &style, 0, 0);
  assert_string_equal (label_text (big_layout, NNS_LABEL_WIDTH, 1), "1,000,000");
  assert_string_equal (label_text (big_layout, NNS_LABEL_PARAMS, 1), "4,000,000 params");

  /* Each kind by its own switch. */
  {
    gboolean *switches[] = { &style.show_titles, &style.show_params, &style.show_total,
                             &style.show_widths, &style.show_activations };
    guint full[] = { 4, 3, 1, 4, 1 };

    for (guint k = 0; k < G_N_ELEMENTS (switches); k++)
      {
        g_autoptr (NnsLayout) l = NULL;

        *switches[k] = FALSE;
        l = nns_layout_new (network, &style, 0, 0);
        for (guint j = 0; j < G_N_ELEMENTS (switches); j++)
          assert_int_equal (count_kind (l, j), j == k ? 0 : full[j]);
        *switches[k] = TRUE;
      }
  }

  style.show_labels = FALSE;
  nns_layout_free (g_steal_pointer (&layout));
  layout = nns_layout_new (network, &style, 0, 0);
  assert_int_equal (nns_layout_get_n_labels (layout), 0);
}

/* Every label is there and none overlaps another or a node, for 2 … 64
 * layers, short and long names, both directions. */
static void
test_label_sweep (void **state)
{
  const char *names[] = { NULL, "ŷ", "a rather long name for a hidden layer",
                          "Averyveryverylongsinglewordlayername" };

  for (guint n_layers = 1; n_layers <= 64; n_layers = n_layers < 4 ? n_layers + 1 : n_layers * 2)
    for (guint k = 0; k < G_N_ELEMENTS (names); k++)
      for (int dir = 0; dir <= 1; dir++)
        {
          g_autoptr (GString) widths = g_string_new ("784");
          g_autoptr (NnsNetwork) network = NULL;
          g_autoptr (NnsLayout) layout = NULL;
          g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (double) * 4);
          NnsStyle style;
          guint n_columns = n_layers + 1, titles = 0;
          g_autofree gboolean *titled = g_new0 (gboolean, n_columns);

          for (guint i = 0; i < n_layers; i++)
            g_string_append (widths, i + 1 == n_layers ? ",10" : ",32");
          network = net (widths->str);
          for (guint i = 0; i < n_layers; i++)
            {
              assert_true (nns_network_set_activation (network, i, NNS_ACTIVATION_RELU, NULL));
              if (names[k] != NULL && i % 2 == 0)
                assert_true (nns_network_set_name (network, i, names[k], NULL));
            }
          nns_style_init_default (&style);
          style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
          layout = nns_layout_new (network, &style, 0, 0);
          check_layout (layout, &style);
          assert_int_equal (count_kind (layout, NNS_LABEL_WIDTH), n_columns);
          assert_int_equal (count_kind (layout, NNS_LABEL_ACTIVATION), n_layers);
          assert_int_equal (count_kind (layout, NNS_LABEL_PARAMS), n_layers);
          assert_int_equal (count_kind (layout, NNS_LABEL_TOTAL), 1);
          for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
            {
              NnsLabel a;
              double box[4];

              nns_layout_get_label (layout, i, &a);
              assert_near (a.font_size, a.kind == NNS_LABEL_PARAMS ? 11 : 13, 1e-9);
              if (a.kind == NNS_LABEL_TITLE && !titled[a.column])
                {
                  titled[a.column] = TRUE;
                  titles++;
                }
              for (guint j = 0; j < boxes->len; j++)
                {
                  double *b = &g_array_index (boxes, double, 4 * j);

                  assert_true (a.left >= b[0] + b[2] || b[0] >= a.left + a.width ||
                               a.top >= b[1] + b[3] || b[1] >= a.top + a.height);
                }
              box[0] = a.left, box[1] = a.top, box[2] = a.width, box[3] = a.height;
              g_array_append_vals (boxes, box, 1);
              /* Clear of every node. */
              for (guint c = 0; c < n_columns; c++)
                for (guint d = 0; d < nns_layout_get_n_drawn (layout, c); d++)
                  {
                    NnsNode node;

                    nns_layout_get_drawn_node (layout, c, d, &node);
                    assert_true (node.x + node.radius <= a.left || node.x - node.radius >= a.left + a.width
                                 || node.y + node.radius <= a.top || node.y - node.radius >= a.top + a.height);
                  }
            }
          assert_int_equal (titles, n_columns);
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
    cmocka_unit_test (test_lesson_in_full),
    cmocka_unit_test (test_natural_size),
    cmocka_unit_test (test_labels),
    cmocka_unit_test (test_label_sweep),
    cmocka_unit_test (test_bias_nodes),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
