#include "connection.hpp"

#include <mosquitto.h>
#ifdef IOTJOBS_HAVE_OPENSSL
#include <openssl/ssl.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace agent {
namespace {

void init_library() {
  struct library {
    library() { mosquitto_lib_init(); }
    ~library() { mosquitto_lib_cleanup(); }
  };
  static library once;
}

// How long a connection may take to be up (TCP, TLS, CONNACK, SUBACKs) before it is given up.
constexpr std::chrono::seconds connect_timeout(30);

// libmosquitto's failure as text; MOSQ_ERR_ERRNO says errno's.
std::string failure_text(int rc, int saved_errno) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(saved_errno);
  if (rc == MOSQ_ERR_KEEPALIVE) return "no answer from the broker within the keepalive";  // 2.0.11
  return mosquitto_strerror(rc);  // calls it "Unknown error."
}

}  // namespace

connection::connection(const connection_options& options, std::vector<std::string> filters,
                       connection_events events)
    : options_(options),
      filters_(std::move(filters)),
      events_(std::move(events)),
      backoff_(options.min_backoff),
      random_(options.seed | 1) {}

std::unique_ptr<connection> connection::create(const connection_options& options,
                                               std::vector<std::string> filters,
                                               connection_events events, std::string& error) {
  init_library();
  std::unique_ptr<connection> c(new connection(options, std::move(filters), std::move(events)));
  c->mosq_ = mosquitto_new(options.client_id.c_str(), true, c.get());
  if (c->mosq_ == nullptr) {
    error = std::string("mosquitto_new: ") + std::strerror(errno);
    return nullptr;
  }
  mosquitto_connect_callback_set(c->mosq_, on_connect);
  mosquitto_disconnect_callback_set(c->mosq_, on_disconnect);
  mosquitto_message_callback_set(c->mosq_, on_message);
  mosquitto_subscribe_callback_set(c->mosq_, on_subscribe);
  mosquitto_log_callback_set(c->mosq_, on_log);
  mosquitto_int_option(c->mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  // Requests and replies are small: without this, Nagle's algorithm and delayed ACKs hold each
  // one back for tens of milliseconds.
  mosquitto_int_option(c->mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  if (options.tls) {
    const tls_options& t = *options.tls;
    int rc = mosquitto_tls_set(c->mosq_, t.cafile.c_str(), nullptr,
                               t.certfile.empty() ? nullptr : t.certfile.c_str(),
                               t.keyfile.empty() ? nullptr : t.keyfile.c_str(), nullptr);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_tls_opts_set(c->mosq_, 1, nullptr, nullptr);
    if (rc == MOSQ_ERR_SUCCESS && !t.alpn.empty())
      rc = mosquitto_string_option(c->mosq_, MOSQ_OPT_TLS_ALPN, t.alpn.c_str());
    if (rc != MOSQ_ERR_SUCCESS) {
      error = "TLS: " + failure_text(rc, errno) +
              " (are --cafile, --cert and --key readable PEM files?)";
      return nullptr;
    }
  }
  const clock::time_point now = clock::now();
  const int rc = mosquitto_connect_async(c->mosq_, options.host.c_str(), options.port,
                                         options.keepalive_seconds);
  if (rc == MOSQ_ERR_INVAL) {
    error = "the broker's address or the keepalive is invalid";
    return nullptr;
  }
  if (rc == MOSQ_ERR_SUCCESS) {
    c->attached_ = true;
    c->retry_at_ = now + connect_timeout;  // given up if not up by then
  } else {
    c->lost(rc, now);  // no network or no broker yet: tried again after the backoff
  }
  return c;
}

connection::~connection() {
  if (mosq_ != nullptr) mosquitto_destroy(mosq_);
}

int connection::socket() const {
  return attached_ ? mosquitto_socket(mosq_) : -1;
}

bool connection::wants_write() const {
  return attached_ && mosquitto_want_write(mosq_);
}

void connection::handle(bool readable, bool writable, bool hung_up, clock::time_point now) {
  // libmosquitto 2.0 advances a TLS handshake in loop_read alone, whichever way the socket is
  // ready. It reads one packet a call when nothing is in flight, and stops early when errno is
  // EAGAIN after a packet, which a callback may have left: messages are queued by the callback
  // and handed over after it, and reading goes on while packets come, or while OpenSSL holds
  // decrypted bytes that poll() cannot see.
  for (int round = 0; attached_ && (readable || writable || hung_up) && round < 16; ++round) {
    const int rc = mosquitto_loop_read(mosq_, 1);
    const bool any = became_up_ || !refused_.empty() || !inbox_.empty();
    if (any) deliver();  // what arrived before a loss too
    if (rc != MOSQ_ERR_SUCCESS) return lost(rc, now);
    if (!any && !tls_pending()) break;
  }
  // A hang-up that libmosquitto reads as nothing (a TLS connection refused, in 2.0.11) would
  // otherwise be polled again at once, forever.
  if (attached_ && hung_up) return lost(MOSQ_ERR_CONN_LOST, now);
  if (attached_ && writable) {
    const int rc = mosquitto_loop_write(mosq_, 1);
    if (rc != MOSQ_ERR_SUCCESS) return lost(rc, now);
  }
}

// Whether OpenSSL holds decrypted bytes of the connection that poll() cannot see.
bool connection::tls_pending() const {
#ifdef IOTJOBS_HAVE_OPENSSL
  const auto* ssl = static_cast<const SSL*>(mosquitto_ssl_get(mosq_));
  return ssl != nullptr && SSL_pending(ssl) > 0;
#else
  return false;
#endif
}

// What the callbacks recorded, handed to the owner outside libmosquitto's calls.
void connection::deliver() {
  for (const std::string& filter : std::exchange(refused_, {})) {
    if (events_.refused) events_.refused(filter);
  }
  if (std::exchange(became_up_, false) && events_.up) events_.up();
  std::deque<std::pair<std::string, std::string>> batch;
  batch.swap(inbox_);
  for (const auto& [topic, payload] : batch) {
    if (events_.message) events_.message(topic, payload);
  }
}

void connection::service(clock::time_point now) {
  if (attached_) {
    if (!up_ && retry_at_ && now >= *retry_at_) {
      refusal_ = "no answer within " + std::to_string(connect_timeout.count()) + " s";
      mosquitto_disconnect(mosq_);
      return lost(MOSQ_ERR_CONN_LOST, now);
    }
    const int rc = mosquitto_loop_misc(mosq_);  // keepalive
    if (rc != MOSQ_ERR_SUCCESS) lost(rc, now);
    return;
  }
  if (!retry_at_ || now < *retry_at_) return;
  log_error_.clear();
  retry_at_.reset();  // this attempt's failure is said, and scheduled, anew
  const int rc = mosquitto_reconnect_async(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) return lost(rc, now);
  attached_ = true;
  retry_at_ = now + connect_timeout;
}

clock::time_point connection::next_service(clock::time_point now) const {
  // libmosquitto's keepalive wants loop_misc about once a second.
  clock::time_point next = now + std::chrono::seconds(1);
  if (retry_at_) next = std::min(next, *retry_at_);
  return next;
}

void connection::lost(int rc, clock::time_point now) {
  const int saved_errno = errno;
  if (closing_ || (!attached_ && retry_at_)) return;  // closed, or said already
  const bool was_up = up_;
  attached_ = up_ = false;
  std::string why = !refusal_.empty() ? std::exchange(refusal_, {}) : failure_text(rc, saved_errno);
  if (!log_error_.empty()) why += " (" + std::exchange(log_error_, {}) + ")";
  refused_.clear();
  became_up_ = false;
  schedule(now);
  if (events_.down)
    events_.down(why, was_up,
                 std::chrono::duration_cast<std::chrono::milliseconds>(*retry_at_ - now));
}

// The next attempt: the backoff with jitter (half of it, plus a random part of the other half),
// and the backoff doubled for the attempt after, up to max_backoff.
void connection::schedule(clock::time_point now) {
  random_ ^= random_ << 13;
  random_ ^= random_ >> 7;
  random_ ^= random_ << 17;
  const auto half = backoff_.count() / 2;
  const auto delay =
      std::chrono::milliseconds(half + (half > 0 ? static_cast<long>(random_ % half) : 0));
  retry_at_ = now + delay;
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
}

void connection::on_connect(struct mosquitto* m, void* self, int rc) {
  auto* c = static_cast<connection*>(self);
  if (rc != 0) {  // refused: libmosquitto closes the connection, and lost() says why
    c->refusal_ = std::string("the broker refused the connection: ") + mosquitto_connack_string(rc);
    return;
  }
  c->granted_ = 0;
  c->subscription_ids_.assign(c->filters_.size(), 0);
  for (std::size_t i = 0; i < c->filters_.size(); ++i)
    mosquitto_subscribe(m, &c->subscription_ids_[i], c->filters_[i].c_str(), 1);
}

void connection::on_subscribe(struct mosquitto*, void* self, int mid, int count, const int* qos) {
  auto* c = static_cast<connection*>(self);
  const auto it = std::find(c->subscription_ids_.begin(), c->subscription_ids_.end(), mid);
  if (it == c->subscription_ids_.end()) return;
  const std::string& filter =
      c->filters_[static_cast<std::size_t>(it - c->subscription_ids_.begin())];
  for (int i = 0; i < count; ++i) {
    if (qos[i] > 2) c->refused_.push_back(filter);  // 0x80: refused
  }
  if (++c->granted_ < c->filters_.size()) return;
  c->up_ = c->became_up_ = true;
  c->retry_at_.reset();
  c->backoff_ = c->options_.min_backoff;
}

void connection::on_disconnect(struct mosquitto*, void* self, int rc) {
  auto* c = static_cast<connection*>(self);
  c->lost(rc == 0 ? MOSQ_ERR_CONN_LOST : rc, clock::now());
}

void connection::on_message(struct mosquitto*, void* self, const struct mosquitto_message* m) {
  const int saved_errno = errno;
  static_cast<connection*>(self)->inbox_.emplace_back(
      m->topic,
      std::string(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen)));
  errno = saved_errno;
}

void connection::on_log(struct mosquitto*, void* self, int level, const char* text) {
  // The first error of an attempt says most (a certificate the broker's CA did not sign, ...).
  auto* c = static_cast<connection*>(self);
  if (level == MOSQ_LOG_ERR && c->log_error_.empty()) c->log_error_ = text;
}

bool connection::publish(std::string_view topic, std::string_view payload) {
  if (!up_) return false;
  const std::string t(topic);
  return mosquitto_publish(mosq_, nullptr, t.c_str(), static_cast<int>(payload.size()),
                           payload.data(), 1, false) == MOSQ_ERR_SUCCESS;
}

void connection::close() {
  closing_ = true;
  if (!attached_) return;
  mosquitto_disconnect(mosq_);
  for (int i = 0; i < 10 && mosquitto_want_write(mosq_); ++i) {
    if (mosquitto_loop_write(mosq_, 1) != MOSQ_ERR_SUCCESS) break;
  }
  attached_ = up_ = false;
  retry_at_.reset();
}

}  // namespace agent
