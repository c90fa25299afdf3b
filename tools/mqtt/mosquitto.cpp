#include "mosquitto.hpp"

#include <mosquitto.h>

namespace iotjobs_mqtt {
namespace {

struct library {
  library() { mosquitto_lib_init(); }
  ~library() { mosquitto_lib_cleanup(); }
};

void init_library() {
  static library once;
}

}  // namespace

std::unique_ptr<mosquitto_client> mosquitto_client::connect(const std::string& host, int port,
                                                            const std::string& client_id,
                                                            std::string& error) {
  init_library();
  std::unique_ptr<mosquitto_client> c(new mosquitto_client());
  c->mosq_ = mosquitto_new(client_id.c_str(), true, c.get());
  if (c->mosq_ == nullptr) {
    error = "mosquitto_new failed";
    return nullptr;
  }
  mosquitto_connect_callback_set(c->mosq_, on_connect);
  mosquitto_disconnect_callback_set(c->mosq_, on_disconnect);
  mosquitto_message_callback_set(c->mosq_, on_message);
  mosquitto_subscribe_callback_set(c->mosq_, on_subscribe);
  mosquitto_reconnect_delay_set(c->mosq_, 1, 2, false);
  // Requests and replies are small: without this, Nagle's algorithm and delayed ACKs hold each
  // one back for tens of milliseconds.
  mosquitto_int_option(c->mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  // Sends everything queued, however many messages are in flight (a device agent has few; the
  // emulator under load many).
  mosquitto_max_inflight_messages_set(c->mosq_, 0);
  // The network thread first: libmosquitto 2.0's thread retries a first attempt that failed
  // (no broker yet) only when the attempt was made from the thread's side; a connect_async
  // before loop_start that meets a refused connection leaves the client waiting for good
  // (eclipse/mosquitto issues #1903, #2576).
  int rc = mosquitto_loop_start(c->mosq_);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = mosquitto_strerror(rc);
    return nullptr;
  }
  rc = mosquitto_connect_async(c->mosq_, host.c_str(), port, 30);
  if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO) {  // ERRNO: not up yet, retried
    error = mosquitto_strerror(rc);
    return nullptr;
  }
  return c;
}

mosquitto_client::~mosquitto_client() {
  if (mosq_ == nullptr) return;
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, true);
  mosquitto_destroy(mosq_);
}

bool mosquitto_client::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return connected_; });
}

// libmosquitto is never called with mutex_ held: its callbacks take mutex_ on the network thread
// while holding libmosquitto's own locks.
void mosquitto_client::on_connect(struct mosquitto* m, void* self, int rc) {
  auto* c = static_cast<mosquitto_client*>(self);
  if (rc != 0) return;
  std::vector<std::string> filters;
  {
    std::lock_guard<std::mutex> lock(c->mutex_);
    filters = c->filters_;
    c->acknowledged_ = 0;
  }
  for (const std::string& f : filters)
    mosquitto_subscribe(m, nullptr, f.c_str(), 1);
  std::lock_guard<std::mutex> lock(c->mutex_);
  c->connected_ = true;
  c->reconnected_ = c->connections_++ > 0;
  c->changed_.notify_all();
}

void mosquitto_client::on_disconnect(struct mosquitto*, void* self, int) {
  auto* c = static_cast<mosquitto_client*>(self);
  std::lock_guard<std::mutex> lock(c->mutex_);
  c->connected_ = false;
}

void mosquitto_client::on_subscribe(struct mosquitto*, void* self, int, int, const int*) {
  auto* c = static_cast<mosquitto_client*>(self);
  std::lock_guard<std::mutex> lock(c->mutex_);
  ++c->acknowledged_;
  c->changed_.notify_all();
}

bool mosquitto_client::wait_subscribed(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout,
                           [&] { return connected_ && acknowledged_ >= filters_.size(); });
}

void mosquitto_client::on_message(struct mosquitto*, void* self,
                                  const struct mosquitto_message* m) {
  static_cast<mosquitto_client*>(self)->inbox_.push(
      m->topic, std::string_view(static_cast<const char*>(m->payload),
                                 static_cast<std::size_t>(m->payloadlen)));
}

bool mosquitto_client::subscribe(std::string_view filter) {
  const std::string f(filter);
  bool connected = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    filters_.push_back(f);
    connected = connected_;
  }
  // While disconnected, on_connect subscribes.
  return !connected || mosquitto_subscribe(mosq_, nullptr, f.c_str(), 1) == MOSQ_ERR_SUCCESS;
}

bool mosquitto_client::publish(std::string_view topic, std::string_view payload) {
  const std::string t(topic);
  return mosquitto_publish(mosq_, nullptr, t.c_str(), static_cast<int>(payload.size()),
                           payload.data(), 1, false) == MOSQ_ERR_SUCCESS;
}

std::size_t mosquitto_client::poll(std::chrono::milliseconds timeout, const handler& on_message) {
  return inbox_.drain(timeout, on_message);
}

bool mosquitto_client::reconnected() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(reconnected_, false);
}

}  // namespace iotjobs_mqtt
