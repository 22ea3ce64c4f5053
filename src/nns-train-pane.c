/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-train-pane"

#include "config.h"

#include <inttypes.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nns-train-draw.h"
#include "nns-train-pane.h"
#include "nns-width-sweep.h"

/* The optimizer row's items, in order. */
static const char *const optimizer_ids[] = { "sgd", "momentum", "adam", "adamw" };
/* The learning-rate row's items, in order (as in the template). */
static const double learning_rates[] = { 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1 };
/* The activations offered for the hidden layers. */
static const NnsActivation hidden_activations[] = {
  NNS_ACTIVATION_RELU, NNS_ACTIVATION_TANH, NNS_ACTIVATION_SIGMOID, NNS_ACTIVATION_LEAKY_RELU,
  NNS_ACTIVATION_GELU, NNS_ACTIVATION_SILU, NNS_ACTIVATION_ELU, NNS_ACTIVATION_SOFTPLUS,
  NNS_ACTIVATION_NONE,
};
#define MISTAKE_SCALE 2
/* Widths a comparison takes at most, as --compare-widths. */
#define COMPARE_MAX 64

struct _NnsTrainPane
{
  GtkWidget        parent_instance;

  NnsTrainSession *session;
  NnsNetwork      *network;
  gboolean         syncing;          /* the rows follow the session: no edits */

  /* a comparison in progress */
  GCancellable    *compare_cancel;
  NnsWidthResult  *results;
  guint            n_results;
  guint            n_done;
  char            *compare_text;

  /* template children */
  GtkWidget       *scroller;
  AdwComboRow     *dataset_row;
  AdwComboRow     *optimizer_row;
  AdwComboRow     *lr_row;
  GtkAdjustment   *batch_adjustment;
  AdwComboRow     *activation_row;
  GtkStringList   *activation_model;
  GtkWidget       *problem_box;
  GtkLabel        *problem_label;
  GtkWidget       *fit_button;
  GtkWidget       *reset_button;
  GtkWidget       *play_button;
  GtkWidget       *step_button;
  GtkLabel        *status_label;
  GtkLabel        *message_label;
  GtkDrawingArea  *surface_area;
  GtkDrawingArea  *loss_area;
  GtkDrawingArea  *accuracy_area;
  GtkWidget       *classes_box;
  GtkGrid         *classes_grid;
  GtkFlowBox      *mistakes_box;
  AdwEntryRow     *widths_row;
  GtkAdjustment   *epochs_adjustment;
  GtkProgressBar  *compare_progress;
  GtkWidget       *compare_button;
  GtkLabel        *compare_message;
  GtkDrawingArea  *capacity_area;
};

G_DEFINE_FINAL_TYPE (NnsTrainPane, nns_train_pane, GTK_TYPE_WIDGET)

static void
colors_for (GtkWidget      *widget,
            NnsTrainColors *colors)
{
  nns_train_colors_init (colors, adw_style_manager_get_dark (adw_style_manager_get_default ()));
}

static void
show_label (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* ---- what the session holds, shown ---- */

static void
update_status (NnsTrainPane *self)
{
  guint n;
  const NnsTrainPoint *p = nns_train_session_get_points (self->session, &n);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("Not trained yet: press Play, or Step for one mini-batch"));
  else
    {
      const NnsTrainPoint *last = &p[n - 1];

      text = g_strdup_printf (_("Epoch %.1f · step %" PRIu64 "\n"
                                "Train loss %.4f · accuracy %.1f %%\n"
                                "Test loss %.4f · accuracy %.1f %%"),
                              last->epoch, last->step, last->train_loss,
                              100 * last->train_accuracy, last->test_loss,
                              100 * last->test_accuracy);
    }
  gtk_label_set_text (self->status_label, text);
}

/* The run's state on the buttons; the settings a trainer is made with stay
 * editable (a change stops the run). */
static void
update_buttons (NnsTrainPane *self)
{
  gboolean running = nns_train_session_get_running (self->session);
  gboolean comparing = self->compare_cancel != NULL;

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            running ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, running ? _("Pause") : _("Play"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  running ? _("Pause") : _("Play"), -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dataset_row), !comparing);
}

/* Whether the network fits the data; when not, why, and the Fit button. */
static void
update_problem (NnsTrainPane *self)
{
  g_autoptr (GError) error = NULL;
  gboolean fits = nns_train_session_check (self->session, &error);
  gboolean missing = error != NULL && error->domain == NNS_DATASET_ERROR;

  gboolean linear = fits && nns_network_get_n_layers (self->network) >= 2;

  for (guint l = 0; linear && l + 1 < nns_network_get_n_layers (self->network); l++)
    linear = nns_network_get_layer (self->network, l)->activation == NNS_ACTIVATION_NONE;
  gtk_widget_set_visible (self->problem_box, !fits || linear);
  gtk_widget_set_visible (self->fit_button, !fits && !missing);
  if (!fits)
    gtk_label_set_text (self->problem_label, error->message);
  else if (linear)
    gtk_label_set_text (self->problem_label,
                        _("The hidden layers have no activation, so the network is linear and "
                          "can only draw a straight boundary: pick a Hidden Activation."));
  gtk_widget_set_sensitive (self->play_button, fits);
  gtk_widget_set_sensitive (self->step_button, fits);
  gtk_widget_set_sensitive (self->compare_button, fits || self->compare_cancel != NULL);
}

static void
update_classes (NnsTrainPane *self)
{
  const NnsDataset *data = nns_train_session_get_data (self->session, NULL);
  guint k;
  const double *accuracy = nns_train_session_get_class_accuracy (self->session, &k);
  const NnsTrainMistake *mistakes;
  guint n_mistakes;
  GtkWidget *child;

  gtk_widget_set_visible (self->classes_box, accuracy != NULL && data != NULL);
  if (accuracy == NULL || data == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->classes_grid))) != NULL)
    gtk_grid_remove (self->classes_grid, child);
  for (guint j = 0; j < k; j++)
    {
      GtkWidget *name = gtk_label_new (nns_dataset_get_class_name (data, j));
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
      g_autofree char *percent = g_strdup_printf ("%.1f %%", 100 * accuracy[j]);
      GtkWidget *value = gtk_label_new (percent);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), accuracy[j]);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_grid_attach (self->classes_grid, name, 0, (int) j, 1, 1);
      gtk_grid_attach (self->classes_grid, bar, 1, (int) j, 1, 1);
      gtk_grid_attach (self->classes_grid, value, 2, (int) j, 1, 1);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mistakes_box))) != NULL)
    gtk_flow_box_remove (self->mistakes_box, child);
  mistakes = nns_train_session_get_mistakes (self->session, &n_mistakes);
  for (guint i = 0; i < n_mistakes; i++)
    {
      const float *x = data->test.x + (gsize) mistakes[i].index * data->n_features;
      guint side = 28 * MISTAKE_SCALE;
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GdkTexture) texture = NULL;
      guint8 *pixels = g_malloc ((gsize) side * side * 3);
      g_autofree char *tip = NULL;
      GtkWidget *picture;

      /* Fashion-MNIST's ink is light on dark, as the data holds it */
      for (guint y = 0; y < side; y++)
        for (guint xx = 0; xx < side; xx++)
          {
            guint8 v = (guint8) CLAMP (x[(y / MISTAKE_SCALE) * 28 + xx / MISTAKE_SCALE] * 255.0f
                                       + 0.5f, 0, 255);

            memset (pixels + 3 * ((gsize) y * side + xx), v, 3);
          }
      bytes = g_bytes_new_take (pixels, (gsize) side * side * 3);
      texture = gdk_memory_texture_new ((int) side, (int) side, GDK_MEMORY_R8G8B8, bytes, side * 3);
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
      tip = g_strdup_printf (_("A %s, taken for a %s"),
                             nns_dataset_get_class_name (data, data->test.y[mistakes[i].index]),
                             nns_dataset_get_class_name (data, mistakes[i].predicted));
      gtk_widget_set_tooltip_text (picture, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tip, -1);
      gtk_flow_box_append (self->mistakes_box, picture);
    }
}

static void
on_updated (NnsTrainPane *self)
{
  const NnsDataset *data = nns_train_session_get_data (self->session, NULL);

  update_status (self);
  update_classes (self);
  gtk_widget_set_visible (GTK_WIDGET (self->surface_area), data != NULL && data->n_features == 2);
  gtk_widget_queue_draw (GTK_WIDGET (self->surface_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->loss_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->accuracy_area));
}

static void
on_running (NnsTrainPane *self)
{
  update_buttons (self);
}

static void
on_message (NnsTrainPane *self)
{
  show_label (self->message_label, nns_train_session_get_message (self->session));
}

/* The rows show the session's settings and the network's hidden
 * activation (the first hidden layer's). */
static void
sync_rows (NnsTrainPane *self)
{
  guint n_layers = nns_network_get_n_layers (self->network);

  self->syncing = TRUE;
  adw_combo_row_set_selected (self->dataset_row, nns_train_session_get_dataset (self->session));
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_ids); i++)
    if (g_strcmp0 (optimizer_ids[i], nns_train_session_get_optimizer (self->session)) == 0)
      adw_combo_row_set_selected (self->optimizer_row, i);
  for (guint i = 0; i < G_N_ELEMENTS (learning_rates); i++)
    if (fabs (learning_rates[i] - nns_train_session_get_lr (self->session)) < 1e-12)
      adw_combo_row_set_selected (self->lr_row, i);
  gtk_adjustment_set_value (self->batch_adjustment, nns_train_session_get_batch_size (self->session));
  gtk_widget_set_sensitive (GTK_WIDGET (self->activation_row), n_layers >= 2);
  if (n_layers >= 2)
    {
      NnsActivation a = nns_network_get_layer (self->network, 0)->activation;

      for (guint i = 0; i < G_N_ELEMENTS (hidden_activations); i++)
        if (hidden_activations[i] == a)
          adw_combo_row_set_selected (self->activation_row, i);
    }
  self->syncing = FALSE;
}

static void
on_network_changed (NnsTrainPane *self)
{
  sync_rows (self);
  update_problem (self);
}

/* ---- the controls ---- */

static void
show_error (NnsTrainPane *self,
            GError       *error)
{
  if (error != NULL)
    show_label (self->message_label, error->message);
}

/* Training is watched on the edges: the first Play or Step turns Colour by
 * Weight on (a style edit of the document, undoable) when it is off. */
static void
show_weights (NnsTrainPane *self)
{
  NnsDocument *doc = nns_train_session_get_document (self->session);
  NnsStyle style = *nns_document_get_style (doc);

  if (style.weight_colors)
    return;
  style.weight_colors = TRUE;
  nns_document_set_style (doc, &style, NULL);
}

static void
on_play_clicked (NnsTrainPane *self)
{
  g_autoptr (GError) error = NULL;

  if (nns_train_session_get_running (self->session))
    nns_train_session_pause (self->session);
  else if (!nns_train_session_play (self->session, &error))
    show_error (self, error);
  else
    show_weights (self);
}

static void
on_step_clicked (NnsTrainPane *self)
{
  g_autoptr (GError) error = NULL;

  if (!nns_train_session_step (self->session, &error))
    show_error (self, error);
  else
    show_weights (self);
}

static void
on_reset_clicked (NnsTrainPane *self)
{
  nns_train_session_reset (self->session);
}

/* An edit the pane makes itself (the activation, Fit): a run that was going
 * goes on after it, on the edited network. */
static void
replay_after_edit (NnsTrainPane *self,
                   gboolean      was_running)
{
  if (was_running)
    {
      g_autoptr (GError) error = NULL;

      if (!nns_train_session_play (self->session, &error))
        show_error (self, error);
    }
}

static void
on_fit_clicked (NnsTrainPane *self)
{
  g_autoptr (GError) error = NULL;

  if (!nns_train_session_fit_network (self->session, &error))
    show_error (self, error);
}

static void
on_dataset_selected (NnsTrainPane *self)
{
  guint i = adw_combo_row_get_selected (self->dataset_row);

  if (self->syncing || i >= NNS_N_DATASETS)
    return;
  nns_train_session_set_dataset (self->session, i);
  update_problem (self);
  on_updated (self);
}

static void
on_optimizer_selected (NnsTrainPane *self)
{
  guint i = adw_combo_row_get_selected (self->optimizer_row);

  if (!self->syncing && i < G_N_ELEMENTS (optimizer_ids))
    nns_train_session_set_optimizer (self->session, optimizer_ids[i]);
}

static void
on_lr_selected (NnsTrainPane *self)
{
  guint i = adw_combo_row_get_selected (self->lr_row);

  if (!self->syncing && i < G_N_ELEMENTS (learning_rates))
    nns_train_session_set_lr (self->session, learning_rates[i], NULL);
}

static void
on_batch_changed (NnsTrainPane *self)
{
  if (!self->syncing)
    nns_train_session_set_batch_size (self->session,
                                      (guint) gtk_adjustment_get_value (self->batch_adjustment),
                                      NULL);
}

static void
on_activation_selected (NnsTrainPane *self)
{
  guint i = adw_combo_row_get_selected (self->activation_row);
  guint n_layers = nns_network_get_n_layers (self->network);
  NnsDocument *doc;
  gboolean was_running;

  if (self->syncing || i >= G_N_ELEMENTS (hidden_activations) || n_layers < 2)
    return;
  doc = nns_train_session_get_document (self->session);
  was_running = nns_train_session_get_running (self->session);
  nns_document_begin_group (doc);
  for (guint l = 0; l + 1 < n_layers; l++)
    nns_network_set_activation (self->network, l, hidden_activations[i], NULL);
  nns_document_end_group (doc);
  replay_after_edit (self, was_running);
}

/* ---- drawing ---- */

static void
draw_surface (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        data)
{
  NnsTrainPane *self = data;
  const NnsDataset *d = nns_train_session_get_data (self->session, NULL);
  double extent = 1;
  const float *surface = nns_train_session_get_surface (self->session, &extent);
  g_autofree float *blank = NULL;
  NnsTrainColors colors;
  double side = MIN (width, height);

  if (d == NULL || d->n_features != 2)
    return;
  colors_for (GTK_WIDGET (area), &colors);
  if (surface == NULL)
    {
      /* before training: the points on an undecided plane */
      blank = g_new (float, 4);
      for (int i = 0; i < 4; i++)
        blank[i] = 0.5f;
    }
  cairo_translate (cr, (width - side) / 2, (height - side) / 2);
  nns_train_draw_surface (cr, side, side, &colors, surface != NULL ? surface : blank,
                          surface != NULL ? NNS_TRAIN_SURFACE_RES : 2, -extent, extent, -extent,
                          extent, d->train.x, d->train.y, d->train.n, d->test.x, d->test.y,
                          d->test.n);
}

static void
draw_curve (NnsTrainPane *self,
            cairo_t      *cr,
            int           width,
            int           height,
            gboolean      accuracy)
{
  guint n;
  const NnsTrainPoint *p = nns_train_session_get_points (self->session, &n);
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *train = g_new (double, MAX (n, 1));
  g_autofree double *test = g_new (double, MAX (n, 1));
  double top = accuracy ? 1 : 0;
  NnsTrainColors colors;

  for (guint i = 0; i < n; i++)
    {
      x[i] = p[i].epoch;
      train[i] = accuracy ? p[i].train_accuracy : p[i].train_loss;
      test[i] = accuracy ? p[i].test_accuracy : p[i].test_loss;
      if (!accuracy && isfinite (train[i]))
        top = MAX (top, train[i]);
      if (!accuracy && isfinite (test[i]))
        top = MAX (top, test[i]);
    }
  if (!accuracy && top <= 0)
    top = 1;
  colors_for (GTK_WIDGET (self), &colors);
  nns_train_draw_curves (cr, width, height, &colors, accuracy ? _("Accuracy") : _("Loss"), x,
                         train, test, n, 0, top);
}

static void
draw_loss (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  draw_curve (data, cr, width, height, FALSE);
}

static void
draw_accuracy (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        data)
{
  draw_curve (data, cr, width, height, TRUE);
}

static void
draw_capacity (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        data)
{
  NnsTrainPane *self = data;
  NnsTrainColors colors;

  if (self->results == NULL)
    return;
  colors_for (GTK_WIDGET (area), &colors);
  nns_train_draw_capacity (cr, width, height, &colors, self->results, self->n_done);
}

/* ---- Compare Widths ---- */

typedef struct
{
  NnsTrainPane   *pane;              /* a reference */
  NnsNetwork     *network;           /* a copy */
  NnsTrainConfig  config;
  guint          *widths;
  guint           n_widths;
  guint           epochs;
  NnsTrainSession *session;          /* keeps the data alive */
} CompareJob;

static void
compare_job_free (CompareJob *job)
{
  g_clear_object (&job->network);
  g_clear_object (&job->session);
  g_free (job->widths);
  g_free (job);
}

typedef struct
{
  NnsTrainPane *pane;
  guint         done, total;
} Progress;

static gboolean
show_progress (gpointer data)
{
  Progress *p = data;
  NnsTrainPane *self = p->pane;

  if (self->compare_cancel != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%u of %u widths"), p->done, p->total);

      gtk_progress_bar_set_fraction (self->compare_progress, (double) p->done / MAX (p->total, 1));
      gtk_progress_bar_set_text (self->compare_progress, text);
    }
  g_object_unref (self);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* Called on the sweep's threads. */
static void
on_width_done (guint                 done,
               guint                 total,
               const NnsWidthResult *result,
               gpointer              user_data)
{
  Progress *p = g_new0 (Progress, 1);

  p->pane = g_object_ref (user_data);
  p->done = done;
  p->total = total;
  g_main_context_invoke (NULL, show_progress, p);
}

static void
compare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CompareJob *job = task_data;
  GError *error = NULL;
  const NnsDataset *data = nns_train_session_get_data (job->session, &error);
  NnsWidthResult *results = NULL;

  if (data != NULL)
    results = nns_width_sweep_run (job->network, data, &job->config, job->widths, job->n_widths,
                                   job->epochs, 0, on_width_done, job->pane, cancellable, &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, NULL);
}

static void
finish_compare (NnsTrainPane *self,
                guint         n)
{
  GString *text = g_string_new (NULL);

  g_clear_object (&self->compare_cancel);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_progress), FALSE);
  gtk_button_set_label (GTK_BUTTON (self->compare_button), _("_Compare"));
  for (guint i = 0; i < n && self->results != NULL; i++)
    {
      const NnsWidthResult *r = &self->results[i];

      if (r->error != NULL)
        g_string_append_printf (text, _("width %u: %s\n"), r->width, r->error->message);
      else
        g_string_append_printf (text, _("width %u: %zu parameters, train %.1f %%, "
                                        "test %.1f %%\n"), r->width, r->n_params,
                                100 * r->train_accuracy, 100 * r->test_accuracy);
    }
  g_free (self->compare_text);
  self->compare_text = g_string_free (text, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->capacity_area), self->compare_text);
  update_buttons (self);
  update_problem (self);
}

static void
compare_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  NnsTrainPane *self = NNS_TRAIN_PANE (source);
  CompareJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  NnsWidthResult *results = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->session == NULL)
    {
      /* the pane went while the comparison ran */
      if (results != NULL)
        nns_width_results_free (results, job->n_widths);
      return;
    }
  if (results == NULL)
    {
      show_label (self->compare_message,
                  g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                    ? _("Comparison cancelled") : error->message);
      finish_compare (self, 0);
      return;
    }
  if (self->results != NULL)
    nns_width_results_free (self->results, self->n_results);
  self->results = results;
  self->n_results = self->n_done = job->n_widths;
  show_label (self->compare_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->capacity_area), TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->capacity_area));
  finish_compare (self, job->n_widths);
}

static void
on_compare_clicked (NnsTrainPane *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  CompareJob *job;
  guint n;
  guint *widths;

  if (self->compare_cancel != NULL)
    {
      g_cancellable_cancel (self->compare_cancel);
      return;
    }
  widths = nns_width_list_parse (gtk_editable_get_text (GTK_EDITABLE (self->widths_row)),
                                 COMPARE_MAX, &n, &error);
  if (widths == NULL)
    {
      show_label (self->compare_message, error->message);
      return;
    }
  if (nns_network_get_n_layers (self->network) < 2)
    {
      g_free (widths);
      show_label (self->compare_message, _("Compare Widths needs a network with a hidden layer"));
      return;
    }
  job = g_new0 (CompareJob, 1);
  job->pane = self;
  job->network = nns_network_copy (self->network);
  nns_train_session_get_config (self->session, &job->config);
  job->widths = widths;
  job->n_widths = n;
  job->epochs = (guint) gtk_adjustment_get_value (self->epochs_adjustment);
  job->session = g_object_ref (self->session);

  self->compare_cancel = g_cancellable_new ();
  show_label (self->compare_message, NULL);
  gtk_progress_bar_set_fraction (self->compare_progress, 0);
  gtk_progress_bar_set_text (self->compare_progress, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_progress), TRUE);
  gtk_button_set_label (GTK_BUTTON (self->compare_button), _("_Cancel"));
  update_buttons (self);
  task = g_task_new (self, self->compare_cancel, compare_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) compare_job_free);
  g_task_run_in_thread (task, compare_thread);
}

/* ---- the object ---- */

GtkWidget *
nns_train_pane_new (void)
{
  return g_object_new (NNS_TYPE_TRAIN_PANE, NULL);
}

void
nns_train_pane_set_session (NnsTrainPane    *self,
                            NnsTrainSession *session)
{
  g_return_if_fail (NNS_IS_TRAIN_PANE (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->network = g_object_ref (nns_document_get_network (nns_train_session_get_document (session)));
  g_signal_connect_object (session, "updated", G_CALLBACK (on_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::running", G_CALLBACK (on_running), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::message", G_CALLBACK (on_message), self,
                           G_CONNECT_SWAPPED);
  /* (Fashion-MNIST is read in a thread: the pane says so meanwhile) */
  g_signal_connect_object (session, "notify::reading", G_CALLBACK (update_problem), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network, "changed", G_CALLBACK (on_network_changed), self,
                           G_CONNECT_SWAPPED);
  sync_rows (self);
  update_problem (self);
  update_buttons (self);
  on_updated (self);
  on_message (self);
}

GtkWidget *
nns_train_pane_get_play_button (NnsTrainPane *self)
{
  return self->play_button;
}

GtkWidget *
nns_train_pane_get_step_button (NnsTrainPane *self)
{
  return self->step_button;
}

GtkWidget *
nns_train_pane_get_reset_button (NnsTrainPane *self)
{
  return self->reset_button;
}

GtkWidget *
nns_train_pane_get_fit_button (NnsTrainPane *self)
{
  return self->fit_button;
}

GtkWidget *
nns_train_pane_get_compare_button (NnsTrainPane *self)
{
  return self->compare_button;
}

const char *
nns_train_pane_get_status_text (NnsTrainPane *self)
{
  return gtk_label_get_text (self->status_label);
}

const char *
nns_train_pane_get_message_text (NnsTrainPane *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return gtk_widget_get_visible (self->problem_box) ? gtk_label_get_text (self->problem_label)
                                                      : NULL;
  return gtk_label_get_text (self->message_label);
}

gboolean
nns_train_pane_get_comparing (NnsTrainPane *self)
{
  return self->compare_cancel != NULL;
}

const char *
nns_train_pane_get_compare_text (NnsTrainPane *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->compare_message)))
    return gtk_label_get_text (self->compare_message);
  return self->compare_text;
}

void
nns_train_pane_set_widths_text (NnsTrainPane *self,
                                const char   *text,
                                guint         epochs)
{
  gtk_editable_set_text (GTK_EDITABLE (self->widths_row), text);
  gtk_adjustment_set_value (self->epochs_adjustment, epochs);
}

void
nns_train_pane_select_dataset (NnsTrainPane  *self,
                               NnsDatasetKind kind)
{
  adw_combo_row_set_selected (self->dataset_row, kind);
}

static void
nns_train_pane_dispose (GObject *object)
{
  NnsTrainPane *self = NNS_TRAIN_PANE (object);

  if (self->compare_cancel != NULL)
    g_cancellable_cancel (self->compare_cancel);
  g_clear_object (&self->compare_cancel);
  if (self->session != NULL)
    nns_train_session_pause (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->network);
  if (self->results != NULL)
    nns_width_results_free (self->results, self->n_results);
  self->results = NULL;
  g_clear_pointer (&self->compare_text, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_TRAIN_PANE);
  G_OBJECT_CLASS (nns_train_pane_parent_class)->dispose (object);
}

static void
nns_train_pane_class_init (NnsTrainPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nns_train_pane_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-train-pane.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, NnsTrainPane, name)
  CHILD (scroller);
  CHILD (dataset_row);
  CHILD (optimizer_row);
  CHILD (lr_row);
  CHILD (batch_adjustment);
  CHILD (activation_row);
  CHILD (activation_model);
  CHILD (problem_box);
  CHILD (problem_label);
  CHILD (fit_button);
  CHILD (reset_button);
  CHILD (play_button);
  CHILD (step_button);
  CHILD (status_label);
  CHILD (message_label);
  CHILD (surface_area);
  CHILD (loss_area);
  CHILD (accuracy_area);
  CHILD (classes_box);
  CHILD (classes_grid);
  CHILD (mistakes_box);
  CHILD (widths_row);
  CHILD (epochs_adjustment);
  CHILD (compare_progress);
  CHILD (compare_button);
  CHILD (compare_message);
  CHILD (capacity_area);
#undef CHILD
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nns-train-pane");
}

static void
nns_train_pane_init (NnsTrainPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (hidden_activations); i++)
    gtk_string_list_append (self->activation_model,
                            hidden_activations[i] == NNS_ACTIVATION_NONE
                              ? _("None (linear)") : nns_activation_get_label (hidden_activations[i]));

  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (on_play_clicked), self);
  g_signal_connect_swapped (self->step_button, "clicked", G_CALLBACK (on_step_clicked), self);
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (on_reset_clicked), self);
  g_signal_connect_swapped (self->fit_button, "clicked", G_CALLBACK (on_fit_clicked), self);
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (on_compare_clicked), self);
  g_signal_connect_swapped (self->dataset_row, "notify::selected",
                            G_CALLBACK (on_dataset_selected), self);
  g_signal_connect_swapped (self->optimizer_row, "notify::selected",
                            G_CALLBACK (on_optimizer_selected), self);
  g_signal_connect_swapped (self->lr_row, "notify::selected", G_CALLBACK (on_lr_selected), self);
  g_signal_connect_swapped (self->batch_adjustment, "value-changed",
                            G_CALLBACK (on_batch_changed), self);
  g_signal_connect_swapped (self->activation_row, "notify::selected",
                            G_CALLBACK (on_activation_selected), self);
  gtk_drawing_area_set_draw_func (self->surface_area, draw_surface, self, NULL);
  gtk_drawing_area_set_draw_func (self->loss_area, draw_loss, self, NULL);
  gtk_drawing_area_set_draw_func (self->accuracy_area, draw_accuracy, self, NULL);
  gtk_drawing_area_set_draw_func (self->capacity_area, draw_capacity, self, NULL);
}
