/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live training run of the document's network: a worker thread owns the
 * trainer while it runs and hands the main thread snapshots through one
 * mutex-guarded slot; the main thread owns everything the views read. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "nns-train-draw.h"
#include "nns-train-session.h"

/* The shortest time between two snapshots: about two frames. */
#define SNAPSHOT_USEC 33000
/* A 2-D problem's epoch takes a millisecond; one every 16 ms lets the
 * user watch the surface form, as TensorFlow Playground paces it. */
#define TOY_EPOCH_USEC 16000
/* Curves keep at most this many points; past it every other one goes. */
#define MAX_POINTS 4096
/* Fashion-MNIST's test figures cost tens of milliseconds: a point every
 * half second between epochs. */
#define FASHION_POINT_USEC 500000
#define MAX_MISTAKES 16

/* What the worker hands the main thread. */
typedef struct
{
  NnsWeights     *weights;           /* the trained values, or NULL */
  gboolean        has_point;
  NnsTrainPoint   point;
  float          *surface;           /* SURFACE_RES², or NULL */
  float         **maps;              /* per hidden layer, units × SURFACE_RES², or NULL */
  guint           n_maps;
  double         *class_accuracy;    /* n_classes, or NULL */
  guint           n_classes;
  NnsTrainMistake mistakes[MAX_MISTAKES];
  guint           n_mistakes;
  char           *message;           /* why the run stopped, or NULL */
} Snapshot;

struct _NnsTrainSession
{
  GObject         parent_instance;

  NnsDocument    *document;
  NnsNetwork     *network;
  gulong          network_handler;
  gulong          weights_handler;

  NnsDatasetKind  kind;
  NnsTrainConfig  config;
  char           *optimizer;
  NnsDataset     *dataset;           /* for dataset_kind, or NULL */
  NnsDatasetKind  dataset_kind;
  GCancellable   *reading;           /* Fashion-MNIST being read in a thread, or NULL */
  guint32         n_resets;          /* Reset's seeds follow the document's */

  /* The run. The trainer, its base weights and its layers' widths are the
   * worker's while it runs. */
  NnsTrainer     *trainer;
  NnsWeights     *base;              /* the document's when the trainer was made */
  NnsNetwork     *trained;           /* a copy of the network it was made for */
  guint          *widths;            /* units of each dense layer */
  guint           n_layers;
  NnsWeights     *published;         /* the weights last given to the document */
  GThread        *worker;
  gint            stop;              /* atomic */
  gint            lr_bits_changed;   /* atomic: a new learning rate waits */
  double          pending_lr;        /* under lock */
  GRand          *rand;              /* batch order */
  guint          *order;
  guint           cursor;
  guint64         n_steps;
  double          epochs;
  double          acc_loss;          /* the batches since the last point */
  guint           acc_correct, acc_n;

  GMutex          lock;
  Snapshot       *pending;           /* under lock */
  guint           idle_id;           /* under lock */
  GMainContext   *context;

  /* Handing the weights to the document (main thread): a new set redraws
   * every edge, which on a large network takes longer than a snapshot's
   * interval, so the next set waits as long as the last one kept the main
   * loop busy (at least a snapshot's interval between them). */
  NnsWeights     *unpublished;       /* the newest weights not handed over yet */
  guint           publish_id;        /* a timeout that hands them over */
  guint           measure_id;        /* a low-priority timeout after a hand-over */
  gint64          published_at;      /* µs */
  gint64          next_publish;      /* µs: no hand-over before */

  /* What the views read (main thread). */
  GArray         *points;
  char           *message;
  float          *surface;
  double          extent;
  float         **maps;
  guint           n_maps;
  double         *class_accuracy;
  guint           n_classes;
  NnsTrainMistake mistakes[MAX_MISTAKES];
  guint           n_mistakes;
  /* the grids the worker evaluates, made with the data */
  float          *surface_grid;
};

G_DEFINE_FINAL_TYPE (NnsTrainSession, nns_train_session, G_TYPE_OBJECT)

enum { UPDATED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_RUNNING, PROP_MESSAGE, PROP_READING, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
snapshot_free (Snapshot *s)
{
  if (s == NULL)
    return;
  g_clear_pointer (&s->weights, nns_weights_unref);
  g_free (s->surface);
  for (guint i = 0; i < s->n_maps; i++)
    g_free (s->maps[i]);
  g_free (s->maps);
  g_free (s->class_accuracy);
  g_free (s->message);
  g_free (s);
}

static void
set_message (NnsTrainSession *self,
             const char      *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/* ---- the worker's evaluations ---- */

/* Mean cross entropy (or MSE, as the trainer's loss) and accuracy of out
 * (n × c) against y: the trainer's evaluate, on an array we already have. */
static void
score (NnsTrainer   *trainer,
       const float  *x,
       const guint8 *y,
       guint         n,
       double       *loss,
       double       *accuracy)
{
  NnsSamples samples = { n, (float *) x, (guint8 *) y };
  NnsTrainStats stats;

  nns_trainer_evaluate (trainer, &samples, &stats);
  *loss = stats.loss;
  *accuracy = stats.accuracy;
}

/* Softmax of a row's first two of c outputs, as P(class 1). */
static float
p_class1 (const float *row,
          guint        c)
{
  float m = row[0];
  double sum = 0, p1;

  for (guint k = 1; k < c; k++)
    m = MAX (m, row[k]);
  for (guint k = 0; k < c; k++)
    sum += exp (row[k] - m);
  p1 = exp (row[1] - m) / sum;
  return (float) (p1 / (exp (row[0] - m) / sum + p1));
}

/* The plane in one pass over its grid: every layer's output at each point
 * — the last gives the surface, the hidden ones the units' maps (when there
 * are few enough units to show). */
static void
add_plane (NnsTrainSession *self,
           NnsTrainer      *trainer,
           Snapshot        *s)
{
  guint n_layers = self->n_layers;
  guint c = nns_trainer_get_n_outputs (trainer);
  guint m = NNS_TRAIN_SURFACE_RES * NNS_TRAIN_SURFACE_RES;
  g_autofree float **outs = g_new0 (float *, n_layers);
  g_autofree float *out = g_new (float, (gsize) m * c);
  guint hidden_units = 0;
  gboolean maps;

  for (guint l = 0; l + 1 < n_layers; l++)
    hidden_units += self->widths[l];
  maps = n_layers >= 2 && hidden_units <= NNS_TRAIN_MAP_MAX_UNITS;
  if (maps)
    {
      s->n_maps = n_layers - 1;
      s->maps = g_new0 (float *, s->n_maps);
      for (guint l = 0; l + 1 < n_layers; l++)
        outs[l] = g_new (float, (gsize) m * self->widths[l]);
    }
  outs[n_layers - 1] = out;
  nns_trainer_forward_layers (trainer, self->surface_grid, m, outs);

  s->surface = g_new (float, m);
  for (guint i = 0; i < m; i++)
    s->surface[i] = p_class1 (out + (gsize) i * c, c);
  /* point-major (m × units) to unit-major (units × m) */
  for (guint l = 0; maps && l + 1 < n_layers; l++)
    {
      guint u = self->widths[l];
      float *t = g_new (float, (gsize) m * u);

      /* in 32 × 32 blocks, so reads and writes both stay in the cache */
      for (guint p0 = 0; p0 < m; p0 += 32)
        for (guint k0 = 0; k0 < u; k0 += 32)
          for (guint p = p0; p < MIN (p0 + 32, m); p++)
            for (guint k = k0; k < MIN (k0 + 32, u); k++)
              t[(gsize) k * m + p] = outs[l][(gsize) p * u + k];
      g_free (outs[l]);
      s->maps[l] = t;
    }
}

/* Per-class accuracy and the first misclassified images on the whole test
 * set. */
static void
add_classes (NnsTrainSession  *self,
             NnsTrainer       *trainer,
             Snapshot         *s,
             double           *loss,
             double           *accuracy)
{
  const NnsSamples *test = &self->dataset->test;
  guint c = nns_trainer_get_n_outputs (trainer);
  guint k = self->dataset->n_classes;
  g_autofree float *out = g_new (float, (gsize) test->n * c);
  g_autofree guint *right = g_new0 (guint, k);
  g_autofree guint *total = g_new0 (guint, k);
  NnsTrainStats stats;

  /* one pass gives the loss, the accuracy and each image's outputs */
  nns_trainer_evaluate_outputs (trainer, test, &stats, out);
  *loss = stats.loss;
  *accuracy = stats.accuracy;
  for (guint i = 0; i < test->n; i++)
    {
      const float *row = out + (gsize) i * c;
      guint best = 0;

      for (guint j = 1; j < c; j++)
        if (row[j] > row[best])
          best = j;
      total[test->y[i]]++;
      if (best == test->y[i])
        right[test->y[i]]++;
      else if (s->n_mistakes < MAX_MISTAKES)
        s->mistakes[s->n_mistakes++] = (NnsTrainMistake) { i, (guint8) best };
    }
  s->n_classes = k;
  s->class_accuracy = g_new (double, k);
  for (guint j = 0; j < k; j++)
    s->class_accuracy[j] = total[j] ? (double) right[j] / total[j] : 0;
}

/* A snapshot of trainer now: its weights, a point (when batches were
 * trained since the last one), the plane or the classes. */
static Snapshot *
snapshot_new (NnsTrainSession *self,
              NnsTrainer      *trainer,
              gboolean         epoch_end,
              gboolean         with_point)
{
  Snapshot *s = g_new0 (Snapshot, 1);
  const NnsDataset *data = self->dataset;

  s->weights = nns_trainer_dup_weights (trainer, self->base);
  nns_weights_freeze (s->weights);
  if (with_point && self->acc_n > 0)
    {
      s->has_point = TRUE;
      s->point.step = self->n_steps;
      s->point.epoch = self->epochs;
      s->point.train_loss = self->acc_loss / self->acc_n;
      s->point.train_accuracy = (double) self->acc_correct / self->acc_n;
      self->acc_loss = 0;
      self->acc_correct = self->acc_n = 0;
      if (data->kind == NNS_DATASET_FASHION_MNIST && epoch_end)
        add_classes (self, trainer, s, &s->point.test_loss, &s->point.test_accuracy);
      else
        score (trainer, data->test.x, data->test.y,
               data->kind == NNS_DATASET_FASHION_MNIST
                 ? MIN (data->test.n, NNS_TRAIN_TEST_SUBSET) : data->test.n,
               &s->point.test_loss, &s->point.test_accuracy);
    }
  if (data->n_features == 2)
    add_plane (self, trainer, s);
  return s;
}

static gboolean apply_pending (gpointer data);

/* What the pane says when a step's loss was not finite. */
static char *
diverged_message (const GError *error)
{
  return g_strdup_printf (_("Training stopped: %s; the weights are the last good ones. Try a "
                            "smaller learning rate."), error->message);
}

/* Worker side: the snapshot replaces any the main thread has not taken. */
static void
hand_over (NnsTrainSession *self,
           Snapshot        *s)
{
  g_mutex_lock (&self->lock);
  if (self->pending != NULL)
    {
      /* the older point would be lost: keep it in the newer one's place
       * only if the newer has none */
      if (!s->has_point && self->pending->has_point)
        {
          s->has_point = TRUE;
          s->point = self->pending->point;
        }
      snapshot_free (self->pending);
    }
  self->pending = s;
  if (self->idle_id == 0)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, apply_pending, g_object_ref (self), g_object_unref);
      self->idle_id = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->lock);
}

/* The training set's order for the next epoch (Fisher–Yates, the
 * session's seeded stream). */
static void
shuffle (NnsTrainSession *self,
         guint            n)
{
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (self->rand, 0, (gint32) i + 1);
      guint t = self->order[i];

      self->order[i] = self->order[j];
      self->order[j] = t;
    }
}

/* One mini-batch of the shuffled training set; reshuffles at an epoch's
 * end. Returns whether this batch ended an epoch. */
static gboolean
train_batch (NnsTrainSession *self,
             NnsTrainer      *trainer,
             float           *bx,
             guint8          *by,
             GError         **error)
{
  const NnsSamples *train = &self->dataset->train;
  guint f = self->dataset->n_features;
  guint b = MIN (self->config.batch_size, train->n - self->cursor);
  double loss;
  guint correct;

  /* a last batch of 1 would stop a BatchNorm1d: it joins the next epoch */
  if (b < self->config.batch_size && !nns_trainer_check_batch (trainer, b, NULL))
    b = 0;
  for (guint i = 0; i < b; i++)
    {
      guint j = self->order[self->cursor + i];

      memcpy (bx + (gsize) i * f, train->x + (gsize) j * f, sizeof (float) * f);
      by[i] = train->y[j];
    }
  if (b > 0)
    {
      if (!nns_trainer_step (trainer, bx, by, b, &loss, &correct, error))
        return FALSE;
      self->n_steps++;
      self->acc_loss += loss * b;
      self->acc_correct += correct;
      self->acc_n += b;
    }
  self->cursor += b;
  self->epochs = floor (self->epochs) + (double) self->cursor / train->n;
  if (self->cursor >= train->n || b == 0)
    {
      self->cursor = 0;
      self->epochs = floor (self->epochs + 0.5);
      shuffle (self, train->n);
      return TRUE;
    }
  return FALSE;
}

static gpointer
worker_main (gpointer data)
{
  NnsTrainSession *self = data;
  NnsTrainer *trainer = self->trainer;
  guint f = self->dataset->n_features;
  g_autofree float *bx = g_new (float, (gsize) self->config.batch_size * f);
  g_autofree guint8 *by = g_new (guint8, self->config.batch_size);
  gboolean toy = self->dataset->kind != NNS_DATASET_FASHION_MNIST;
  gint64 last = g_get_monotonic_time (), last_point = last, epoch_start = last;

  while (!g_atomic_int_get (&self->stop))
    {
      g_autoptr (GError) error = NULL;
      gboolean epoch_end;
      gint64 now;

      if (g_atomic_int_compare_and_exchange (&self->lr_bits_changed, 1, 0))
        {
          g_mutex_lock (&self->lock);
          nns_trainer_set_lr (trainer, self->pending_lr);
          g_mutex_unlock (&self->lock);
        }
      epoch_end = train_batch (self, trainer, bx, by, &error);
      if (error != NULL)
        {
          Snapshot *s = snapshot_new (self, trainer, FALSE, TRUE);

          s->message = diverged_message (error);
          hand_over (self, s);
          break;
        }
      now = g_get_monotonic_time ();
      {
        gboolean point = toy ? now - last_point >= SNAPSHOT_USEC
                             : now - last_point >= FASHION_POINT_USEC || epoch_end;

        if (point || now - last >= SNAPSHOT_USEC)
          {
            hand_over (self, snapshot_new (self, trainer, epoch_end, point));
            last = g_get_monotonic_time ();
            if (point)
              last_point = last;
          }
      }
      if (epoch_end && toy)
        {
          now = g_get_monotonic_time ();
          if (now - epoch_start < TOY_EPOCH_USEC)
            g_usleep (TOY_EPOCH_USEC - (now - epoch_start));
          epoch_start = g_get_monotonic_time ();
        }
    }
  return NULL;
}

/* ---- the main thread's side ---- */

static void
add_point (NnsTrainSession     *self,
           const NnsTrainPoint *p)
{
  if (self->points->len >= MAX_POINTS)
    {
      NnsTrainPoint *all = (NnsTrainPoint *) self->points->data;
      guint kept = 0;

      for (guint i = 0; i < self->points->len; i += 2)
        all[kept++] = all[i];
      g_array_set_size (self->points, kept);
    }
  g_array_append_val (self->points, *p);
}

/* A low-priority timeout a snapshot's interval after a hand-over runs once
 * the main loop has drawn what the new weights changed (a frame comes
 * within that interval, and drawing outranks the timeout): however much
 * later than the interval it runs, the drawing kept the loop busy about
 * that long, and the next hand-over waits 1.5 times as long, so the user's
 * input keeps at least about half the loop. */
static gboolean
measured (gpointer data)
{
  NnsTrainSession *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - self->published_at - SNAPSHOT_USEC;

  self->measure_id = 0;
  self->next_publish = now + MAX (0, late * 3 / 2);
  return G_SOURCE_REMOVE;
}

static void
publish (NnsTrainSession *self,
         NnsWeights      *weights)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->unpublished, nns_weights_unref);
  g_clear_pointer (&self->published, nns_weights_unref);
  self->published = nns_weights_ref (weights);
  g_signal_handler_block (self->document, self->weights_handler);
  if (!nns_document_set_weights_coalesce (self->document, weights, "train", &error))
    g_warning ("trained weights do not fit: %s", error->message);
  g_signal_handler_unblock (self->document, self->weights_handler);
  self->published_at = g_get_monotonic_time ();
  self->next_publish = G_MAXINT64;
  g_clear_handle_id (&self->measure_id, g_source_remove);
  self->measure_id = g_timeout_add_full (G_PRIORITY_LOW, SNAPSHOT_USEC / 1000, measured, self,
                                         NULL);
}

static gboolean
publish_later (gpointer data)
{
  NnsTrainSession *self = data;

  if (self->unpublished == NULL || g_get_monotonic_time () >= self->next_publish)
    {
      self->publish_id = 0;
      if (self->unpublished != NULL)
        {
          NnsWeights *w = g_steal_pointer (&self->unpublished);

          publish (self, w);
          nns_weights_unref (w);
        }
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Takes what a snapshot holds; its weights wait for their turn unless
 * now (a pause, a step, the end of a run). */
static void
take_snapshot (NnsTrainSession *self,
               Snapshot        *s,
               gboolean         now)
{
  if (s->weights != NULL)
    {
      if (now || g_get_monotonic_time () >= self->next_publish)
        {
          g_clear_handle_id (&self->publish_id, g_source_remove);
          publish (self, s->weights);
        }
      else
        {
          g_clear_pointer (&self->unpublished, nns_weights_unref);
          self->unpublished = nns_weights_ref (s->weights);
          if (self->publish_id == 0)
            self->publish_id = g_timeout_add (SNAPSHOT_USEC / 1000 / 4, publish_later, self);
        }
    }
  if (s->has_point)
    add_point (self, &s->point);
  /* a plane replaces the surface and the maps (none when too many units) */
  if (s->surface != NULL)
    {
      g_free (self->surface);
      self->surface = g_steal_pointer (&s->surface);
      for (guint i = 0; i < self->n_maps; i++)
        g_free (self->maps[i]);
      g_free (self->maps);
      self->maps = g_steal_pointer (&s->maps);
      self->n_maps = s->n_maps;
      s->n_maps = 0;
    }
  if (s->class_accuracy != NULL)
    {
      g_free (self->class_accuracy);
      self->class_accuracy = g_steal_pointer (&s->class_accuracy);
      self->n_classes = s->n_classes;
      memcpy (self->mistakes, s->mistakes, sizeof s->mistakes);
      self->n_mistakes = s->n_mistakes;
    }
  if (s->message != NULL)
    set_message (self, s->message);
}

static void join_worker (NnsTrainSession *self,
                         gboolean         apply);

static gboolean
apply_pending (gpointer data)
{
  NnsTrainSession *self = data;
  Snapshot *s;
  gboolean stopped;

  g_mutex_lock (&self->lock);
  s = g_steal_pointer (&self->pending);
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);
  if (s == NULL)
    return G_SOURCE_REMOVE;
  stopped = s->message != NULL;
  take_snapshot (self, s, stopped);
  snapshot_free (s);
  if (stopped)
    join_worker (self, TRUE);
  g_signal_emit (self, signals[UPDATED], 0);
  return G_SOURCE_REMOVE;
}

/* Stops and joins the worker; takes the snapshot it left when apply (not
 * after an edit: those weights no longer belong). */
static void
join_worker (NnsTrainSession *self,
             gboolean         apply)
{
  Snapshot *s;

  if (self->worker == NULL)
    return;
  g_atomic_int_set (&self->stop, 1);
  g_thread_join (g_steal_pointer (&self->worker));
  g_mutex_lock (&self->lock);
  s = g_steal_pointer (&self->pending);
  if (self->idle_id != 0)
    g_source_destroy (g_main_context_find_source_by_id (self->context, self->idle_id));
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);
  if (s != NULL && apply)
    take_snapshot (self, s, TRUE);
  snapshot_free (s);
  /* the steps after the worker's last snapshot: the document gets the
   * weights the trainer holds, and the curves their point */
  if (apply && self->trainer != NULL && self->acc_n > 0)
    {
      s = snapshot_new (self, self->trainer, FALSE, TRUE);
      take_snapshot (self, s, TRUE);
      snapshot_free (s);
    }
  /* the newest weights are the document's now, or were dropped */
  if (apply && self->unpublished != NULL)
    {
      NnsWeights *w = g_steal_pointer (&self->unpublished);

      publish (self, w);
      nns_weights_unref (w);
    }
  g_clear_pointer (&self->unpublished, nns_weights_unref);
  g_clear_handle_id (&self->publish_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[UPDATED], 0);
}

/* The plane and the class figures, which describe the weights they were
 * made of. */
static void
clear_figures (NnsTrainSession *self)
{
  g_clear_pointer (&self->surface, g_free);
  for (guint i = 0; i < self->n_maps; i++)
    g_free (self->maps[i]);
  g_clear_pointer (&self->maps, g_free);
  self->n_maps = 0;
  g_clear_pointer (&self->class_accuracy, g_free);
  self->n_mistakes = 0;
}

/* A run starting again from nothing: no points, figures or message. */
static void
clear_run (NnsTrainSession *self)
{
  g_array_set_size (self->points, 0);
  clear_figures (self);
  self->n_steps = 0;
  self->epochs = 0;
  set_message (self, NULL);
  g_signal_emit (self, signals[UPDATED], 0);
}

/* Forgets the trainer: the next run starts from the document's weights. */
static void
drop_trainer (NnsTrainSession *self)
{
  join_worker (self, FALSE);
  g_clear_pointer (&self->trainer, nns_trainer_free);
  g_clear_pointer (&self->base, nns_weights_unref);
  g_clear_pointer (&self->published, nns_weights_unref);
  g_clear_object (&self->trained);
}

/* The network or its weights changed from outside the run (an edit, undo,
 * Load Weights): the run stops, and says why. The document may tell the
 * weights before the network: the network's copy tells them apart. */
static void
on_outside_change (NnsTrainSession *self)
{
  gboolean was_running = self->worker != NULL;
  gboolean edited = self->trained != NULL && !nns_network_equal (self->trained, self->network);

  if (self->trainer == NULL && self->surface == NULL && self->maps == NULL)
    return;
  if (!edited && self->published != NULL
      && nns_document_get_weights (self->document) == self->published)
    return;
  drop_trainer (self);
  clear_figures (self);
  if (was_running)
    set_message (self, edited ? _("The network changed, so training stopped. Layers whose "
                                  "shape changed start again from PyTorch’s initial weights.")
                              : _("The weights were changed from elsewhere, so training "
                                  "stopped."));
  g_signal_emit (self, signals[UPDATED], 0);
}

/* ---- data ---- */

static void
make_grids (NnsTrainSession *self)
{
  const NnsDataset *d = self->dataset;
  double m = 0;

  g_clear_pointer (&self->surface_grid, g_free);
  g_clear_pointer (&self->surface, g_free);
  if (d->n_features != 2)
    return;
  for (guint i = 0; i < 2 * d->train.n; i++)
    m = MAX (m, fabs (d->train.x[i]));
  for (guint i = 0; i < 2 * d->test.n; i++)
    m = MAX (m, fabs (d->test.x[i]));
  self->extent = ceil (m * 1.1 * 10) / 10;
  /* the grid the surface and the tiles are drawn from (nns-train-draw):
   * corner points on the edges of the plane, row 0 at y = +extent */
  self->surface_grid = g_new (float, (gsize) 2 * NNS_TRAIN_SURFACE_RES * NNS_TRAIN_SURFACE_RES);
  nns_train_surface_grid (NNS_TRAIN_SURFACE_RES, -self->extent, self->extent, -self->extent,
                          self->extent, self->surface_grid);
}

static void
take_dataset (NnsTrainSession *self,
              NnsDataset      *dataset)
{
  g_clear_pointer (&self->dataset, nns_dataset_free);
  self->dataset = dataset;
  self->dataset_kind = dataset->kind;
  make_grids (self);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  NnsDataset *d = nns_dataset_load_fashion_mnist (g_getenv ("NNS_FASHION_MNIST_DIR"), &error);

  if (d == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, d, (GDestroyNotify) nns_dataset_free);
}

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  NnsTrainSession *self = NNS_TRAIN_SESSION (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  NnsDataset *d = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&d, nns_dataset_free);
      return;
    }
  g_clear_object (&self->reading);
  /* a read that failed is read again by get_data(), which says why */
  if (d != NULL && self->kind == NNS_DATASET_FASHION_MNIST
      && (self->dataset == NULL || self->dataset_kind != self->kind))
    take_dataset (self, d);
  else
    g_clear_pointer (&d, nns_dataset_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING]);
  g_signal_emit (self, signals[UPDATED], 0);
}

/* Fashion-MNIST takes about half a second to read: a thread reads it, so
 * choosing it does not stop the window. */
static void
start_reading (NnsTrainSession *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->kind != NNS_DATASET_FASHION_MNIST || self->reading != NULL
      || (self->dataset != NULL && self->dataset_kind == self->kind))
    return;
  self->reading = g_cancellable_new ();
  task = g_task_new (self, self->reading, read_done, NULL);
  g_task_set_source_tag (task, start_reading);
  g_task_run_in_thread (task, read_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING]);
}

gboolean
nns_train_session_is_reading (NnsTrainSession *self)
{
  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), FALSE);

  return self->reading != NULL;
}

const NnsDataset *
nns_train_session_get_data (NnsTrainSession *self,
                            GError         **error)
{
  NnsDataset *d;

  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), NULL);

  if (self->dataset != NULL && self->dataset_kind == self->kind)
    return self->dataset;
  if (self->reading != NULL && self->kind == NNS_DATASET_FASHION_MNIST)
    {
      g_set_error_literal (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_READING,
                           _("Reading Fashion-MNIST…"));
      return NULL;
    }
  g_clear_pointer (&self->dataset, nns_dataset_free);
  if (self->kind == NNS_DATASET_FASHION_MNIST)
    d = nns_dataset_load_fashion_mnist (g_getenv ("NNS_FASHION_MNIST_DIR"), error);
  else
    d = nns_dataset_new_toy (self->kind, NNS_TRAIN_TOY_POINTS, NNS_TRAIN_TOY_NOISE,
                             NNS_TRAIN_TOY_TEST_FRACTION, 0, error);
  if (d == NULL)
    return NULL;
  take_dataset (self, d);
  return self->dataset;
}

gboolean
nns_train_session_check (NnsTrainSession *self,
                         GError         **error)
{
  const NnsDataset *d = nns_train_session_get_data (self, error);
  guint n_layers, in, out;

  if (d == NULL)
    return FALSE;
  n_layers = nns_network_get_n_layers (self->network);
  in = nns_network_get_input (self->network);
  out = nns_network_get_layer (self->network, n_layers - 1)->units;
  if (in != d->n_features || out < d->n_classes)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_MISMATCH,
                   _("The data has %u features and %u classes; the network takes %u inputs "
                     "and gives %u outputs"), d->n_features, d->n_classes, in, out);
      return FALSE;
    }
  return TRUE;
}

gboolean
nns_train_session_fit_network (NnsTrainSession *self,
                               GError         **error)
{
  const NnsDataset *d = nns_train_session_get_data (self, error);
  guint last;
  gboolean ok;

  if (d == NULL)
    return FALSE;
  last = nns_network_get_n_layers (self->network) - 1;
  nns_document_begin_group (self->document);
  ok = nns_network_set_input (self->network, d->n_features, error)
       && nns_network_set_units (self->network, last, d->n_classes, error);
  nns_document_end_group (self->document);
  return ok;
}

/* ---- the run ---- */

/* A trainer for the network as it is, from the document's weights, or the
 * one kept since the last pause. */
static gboolean
ensure_trainer (NnsTrainSession *self,
                GError         **error)
{
  const NnsDataset *d;
  g_autoptr (NnsTrainer) t = NULL;

  if (!nns_train_session_check (self, error))
    return FALSE;
  d = self->dataset;
  if (self->trainer != NULL)
    return TRUE;
  t = nns_trainer_new (self->network, &self->config, error);
  if (t == NULL || !nns_trainer_set_weights (t, nns_document_get_weights (self->document), error)
      || !nns_trainer_check_batch (t, MIN (self->config.batch_size, d->train.n), error))
    return FALSE;
  self->trainer = g_steal_pointer (&t);
  g_clear_pointer (&self->base, nns_weights_unref);
  self->base = nns_weights_ref (nns_document_get_weights (self->document));
  g_clear_pointer (&self->published, nns_weights_unref);
  self->published = nns_weights_ref (self->base);
  g_clear_object (&self->trained);
  self->trained = nns_network_copy (self->network);
  self->n_layers = nns_network_get_n_layers (self->network);
  g_free (self->widths);
  self->widths = g_new (guint, self->n_layers);
  for (guint l = 0; l < self->n_layers; l++)
    self->widths[l] = nns_network_get_layer (self->network, l)->units;
  g_clear_pointer (&self->order, g_free);
  self->order = g_new (guint, d->train.n);
  for (guint i = 0; i < d->train.n; i++)
    self->order[i] = i;
  g_clear_pointer (&self->rand, g_rand_free);
  self->rand = g_rand_new_with_seed (self->config.seed);
  shuffle (self, d->train.n);
  self->cursor = 0;
  self->acc_loss = 0;
  self->acc_correct = self->acc_n = 0;
  return TRUE;
}

gboolean
nns_train_session_play (NnsTrainSession *self,
                        GError         **error)
{
  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), FALSE);

  if (self->worker != NULL)
    return TRUE;
  if (!ensure_trainer (self, error))
    return FALSE;
  set_message (self, NULL);
  /* the worker's products are one BLAS thread; the other core draws */
  nns_trainer_set_blas_threads (MAX (1, (int) g_get_num_processors () - 1));
  g_atomic_int_set (&self->stop, 0);
  self->worker = g_thread_new ("nns-train", worker_main, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
nns_train_session_pause (NnsTrainSession *self)
{
  g_return_if_fail (NNS_IS_TRAIN_SESSION (self));
  join_worker (self, TRUE);
}

gboolean
nns_train_session_step (NnsTrainSession *self,
                        GError         **error)
{
  g_autoptr (GError) step_error = NULL;
  g_autofree float *bx = NULL;
  g_autofree guint8 *by = NULL;
  Snapshot *s;
  gboolean epoch_end;

  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), FALSE);

  join_worker (self, TRUE);
  if (!ensure_trainer (self, error))
    return FALSE;
  set_message (self, NULL);
  bx = g_new (float, (gsize) self->config.batch_size * self->dataset->n_features);
  by = g_new (guint8, self->config.batch_size);
  epoch_end = train_batch (self, self->trainer, bx, by, &step_error);
  s = snapshot_new (self, self->trainer, epoch_end, TRUE);
  if (step_error != NULL)
    s->message = diverged_message (step_error);
  take_snapshot (self, s, TRUE);
  snapshot_free (s);
  g_signal_emit (self, signals[UPDATED], 0);
  if (step_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&step_error));
      return FALSE;
    }
  return TRUE;
}

void
nns_train_session_reset (NnsTrainSession *self)
{
  g_autoptr (NnsWeights) fresh = NULL;

  g_return_if_fail (NNS_IS_TRAIN_SESSION (self));

  drop_trainer (self);
  fresh = nns_weights_new_init (self->network,
                                nns_document_get_weights_seed (self->document) + ++self->n_resets);
  nns_weights_freeze (fresh);
  g_signal_handler_block (self->document, self->weights_handler);
  nns_document_set_weights (self->document, fresh, NULL);
  g_signal_handler_unblock (self->document, self->weights_handler);
  clear_run (self);
}

gboolean
nns_train_session_get_running (NnsTrainSession *self)
{
  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), FALSE);
  return self->worker != NULL;
}

const char *
nns_train_session_get_message (NnsTrainSession *self)
{
  g_return_val_if_fail (NNS_IS_TRAIN_SESSION (self), NULL);
  return self->message;
}

/* ---- settings ---- */

/* A setting the trainer was made with: the next Play makes a new one from
 * the document's weights (the weights the run reached). */
static void
setting_changed (NnsTrainSession *self)
{
  join_worker (self, TRUE);
  g_clear_pointer (&self->trainer, nns_trainer_free);
  g_clear_pointer (&self->base, nns_weights_unref);
  g_clear_object (&self->trained);
}

void
nns_train_session_set_dataset (NnsTrainSession *self,
                               NnsDatasetKind   kind)
{
  g_return_if_fail (NNS_IS_TRAIN_SESSION (self));
  g_return_if_fail (kind < NNS_N_DATASETS);

  if (kind == self->kind)
    return;
  setting_changed (self);
  self->kind = kind;
  start_reading (self);
  clear_run (self);
}

NnsDatasetKind
nns_train_session_get_dataset (NnsTrainSession *self)
{
  return self->kind;
}

gboolean
nns_train_session_set_optimizer (NnsTrainSession *self,
                                 const char      *id)
{
  NnsTrainConfig config = self->config;
  double lr = self->config.lr;
  guint batch = self->config.batch_size;

  if (!nns_train_config_set_optimizer (&config, id))
    return FALSE;
  if (g_strcmp0 (id, self->optimizer) == 0)
    return TRUE;
  setting_changed (self);
  config.lr = lr;
  config.batch_size = batch;
  config.seed = self->config.seed;
  self->config = config;
  g_free (self->optimizer);
  self->optimizer = g_strdup (id);
  return TRUE;
}

const char *
nns_train_session_get_optimizer (NnsTrainSession *self)
{
  return self->optimizer;
}

gboolean
nns_train_session_set_lr (NnsTrainSession *self,
                          double           lr,
                          GError         **error)
{
  if (!(lr > 0 && isfinite (lr) && lr <= 10))
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("learning rate %g: give a number above 0 and at most 10"), lr);
      return FALSE;
    }
  self->config.lr = lr;
  if (self->worker != NULL)
    {
      g_mutex_lock (&self->lock);
      self->pending_lr = lr;
      g_mutex_unlock (&self->lock);
      g_atomic_int_set (&self->lr_bits_changed, 1);
    }
  else if (self->trainer != NULL)
    nns_trainer_set_lr (self->trainer, lr);
  return TRUE;
}

double
nns_train_session_get_lr (NnsTrainSession *self)
{
  return self->config.lr;
}

gboolean
nns_train_session_set_batch_size (NnsTrainSession *self,
                                  guint            batch_size,
                                  GError         **error)
{
  if (batch_size < 1 || batch_size > 65536)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("batch size %u: give 1 … 65536"), batch_size);
      return FALSE;
    }
  if (batch_size == self->config.batch_size)
    return TRUE;
  setting_changed (self);
  self->config.batch_size = batch_size;
  return TRUE;
}

guint
nns_train_session_get_batch_size (NnsTrainSession *self)
{
  return self->config.batch_size;
}

void
nns_train_session_get_config (NnsTrainSession *self,
                              NnsTrainConfig  *config)
{
  *config = self->config;
}

/* ---- what the views read ---- */

const NnsTrainPoint *
nns_train_session_get_points (NnsTrainSession *self,
                              guint           *n)
{
  *n = self->points->len;
  return (const NnsTrainPoint *) self->points->data;
}

const float *
nns_train_session_get_surface (NnsTrainSession *self,
                               double          *extent)
{
  if (extent != NULL)
    *extent = self->extent;
  return self->surface;
}

const float *
nns_train_session_get_unit_map (NnsTrainSession *self,
                                guint            layer,
                                guint            unit)
{
  if (layer >= self->n_maps || unit >= self->widths[layer])
    return NULL;
  return self->maps[layer] + (gsize) unit * NNS_TRAIN_SURFACE_RES * NNS_TRAIN_SURFACE_RES;
}

const double *
nns_train_session_get_class_accuracy (NnsTrainSession *self,
                                      guint           *n_classes)
{
  *n_classes = self->class_accuracy != NULL ? self->n_classes : 0;
  return self->class_accuracy;
}

const NnsTrainMistake *
nns_train_session_get_mistakes (NnsTrainSession *self,
                                guint           *n)
{
  *n = self->n_mistakes;
  return self->mistakes;
}

gboolean
nns_train_session_wait_points (NnsTrainSession *self,
                               guint            n,
                               guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (self->points->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (self->context, FALSE) || (g_usleep (1000), TRUE);
  return self->points->len >= n;
}

NnsDocument *
nns_train_session_get_document (NnsTrainSession *self)
{
  return self->document;
}

/* ---- the object ---- */

NnsTrainSession *
nns_train_session_new (NnsDocument *document)
{
  NnsTrainSession *self;

  g_return_val_if_fail (NNS_IS_DOCUMENT (document), NULL);

  self = g_object_new (NNS_TYPE_TRAIN_SESSION, NULL);
  self->document = g_object_ref (document);
  self->network = g_object_ref (nns_document_get_network (document));
  self->network_handler = g_signal_connect_swapped (self->network, "changed",
                                                    G_CALLBACK (on_outside_change), self);
  self->weights_handler = g_signal_connect_swapped (document, "weights-changed",
                                                    G_CALLBACK (on_outside_change), self);
  return self;
}

static void
nns_train_session_dispose (GObject *object)
{
  NnsTrainSession *self = NNS_TRAIN_SESSION (object);

  drop_trainer (self);
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_handle_id (&self->measure_id, g_source_remove);
  if (self->network != NULL)
    g_clear_signal_handler (&self->network_handler, self->network);
  if (self->document != NULL)
    g_clear_signal_handler (&self->weights_handler, self->document);
  g_clear_object (&self->network);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (nns_train_session_parent_class)->dispose (object);
}

static void
nns_train_session_finalize (GObject *object)
{
  NnsTrainSession *self = NNS_TRAIN_SESSION (object);

  g_clear_pointer (&self->dataset, nns_dataset_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self->order);
  g_free (self->widths);
  g_free (self->optimizer);
  g_array_unref (self->points);
  g_free (self->message);
  g_free (self->surface);
  for (guint i = 0; i < self->n_maps; i++)
    g_free (self->maps[i]);
  g_free (self->maps);
  g_free (self->class_accuracy);
  g_free (self->surface_grid);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (nns_train_session_parent_class)->finalize (object);
}

static void
nns_train_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NnsTrainSession *self = NNS_TRAIN_SESSION (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->worker != NULL);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_READING:
      g_value_set_boolean (value, self->reading != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_train_session_class_init (NnsTrainSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nns_train_session_dispose;
  object_class->finalize = nns_train_session_finalize;
  object_class->get_property = nns_train_session_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Fashion-MNIST is being read in its thread. */
  properties[PROP_READING] = g_param_spec_boolean ("reading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A snapshot reached the main thread (or the run stopped, or the curves
   * were cleared). */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nns_train_session_init (NnsTrainSession *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->points = g_array_new (FALSE, FALSE, sizeof (NnsTrainPoint));
  self->kind = NNS_DATASET_SPIRAL;
  nns_train_config_init (&self->config, NNS_OPTIM_ADAM);
  self->optimizer = g_strdup ("adam");
}
