#include "loopback.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace iotjobs_mqtt {

class loopback_client final : public transport {
 public:
  explicit loopback_client(loopback_broker& broker) : broker_(broker) {}
  ~loopback_client() override { broker_.leave(this); }

  bool subscribe(std::string_view filter) override {
    std::lock_guard<std::mutex> lock(mutex_);
    filters_.emplace_back(filter);
    return true;
  }

  bool wait_subscribed(std::chrono::milliseconds) override { return true; }  // at once

  bool publish(std::string_view topic, std::string_view payload) override {
    broker_.deliver(topic, payload);
    return true;
  }

  std::size_t poll(std::chrono::milliseconds timeout, const handler& on_message) override {
    return inbox_.drain(timeout, on_message);
  }

  bool reconnected() override { return false; }  // never disconnected

  // From the broker, under its lock.
  void offer(std::string_view topic, std::string_view payload) {
    bool wanted = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const std::string& f : filters_)
        wanted = wanted || topic_matches(f, topic);  // one copy, however many filters match
    }
    if (wanted) inbox_.push(topic, payload);
  }

 private:
  loopback_broker& broker_;
  std::mutex mutex_;  // filters_
  std::vector<std::string> filters_;
  inbox inbox_;
};

std::unique_ptr<transport> loopback_broker::connect() {
  auto c = std::make_unique<loopback_client>(*this);
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.push_back(c.get());
  return c;
}

void loopback_broker::deliver(std::string_view topic, std::string_view payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (loopback_client* c : clients_)
    c->offer(topic, payload);
}

void loopback_broker::leave(loopback_client* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.erase(std::remove(clients_.begin(), clients_.end(), c), clients_.end());
}

}  // namespace iotjobs_mqtt
