#include "connect/modbus/modbus_connector.h"

#include <modbus.h>

#include <cerrno>
#include <cmath>

#include "common/time.h"

namespace fh::connect {

namespace {

std::string ModbusError() {
  return modbus_strerror(errno);
}

// A gateway's exception: the gateway answered, the unit behind it did not (or is not
// there: a wrong unit id).
bool IsGatewayException(int error) {
  return error == EMBXGPATH || error == EMBXGTAR;
}

// An exception response of the device itself (libmodbus sets errno to MODBUS_ENOBASE plus
// the exception code), as opposed to a timeout, a broken connection or a gateway's answer.
bool IsModbusException(int error) {
  return error >= EMBXILFUN && error <= EMBXGTAR && !IsGatewayException(error);
}

// Frees a libmodbus context however a session ends.
struct Context {
  modbus_t* ctx = nullptr;
  ~Context() {
    if (ctx) {
      modbus_close(ctx);
      modbus_free(ctx);
    }
  }
};

}  // namespace

Result<std::unique_ptr<ModbusConnector>> ModbusConnector::Make(ModbusConnectorSpec spec,
                                                               pipeline::StreamIngest& ingest) {
  if (spec.name.empty()) return InvalidArgument("modbus: a connector needs a name");
  if (spec.registers.empty()) return InvalidArgument("modbus '{}': no registers", spec.name);
  if (spec.unit < 0 || spec.unit > 247) {
    return InvalidArgument("modbus '{}': unit {} is not 0 to 247", spec.name, spec.unit);
  }
  if (spec.poll.count() <= 0 || spec.timeout.count() <= 0) {
    return InvalidArgument("modbus '{}': poll and timeout must be positive", spec.name);
  }
  for (const RegisterSpec& r : spec.registers) {
    FH_RETURN_IF_ERROR(CheckRegister(r).WithContext(fmt::format("modbus '{}'", spec.name)));
  }
  return std::unique_ptr<ModbusConnector>(new ModbusConnector(std::move(spec), ingest));
}

ModbusConnector::ModbusConnector(ModbusConnectorSpec spec, pipeline::StreamIngest& ingest)
    : ReconnectingConnector(spec.name, "modbus", fmt::format("{}:{}", spec.host, spec.port)),
      spec_(std::move(spec)),
      plan_(PlanReads(spec_.registers)),
      ingest_(ingest) {
  source_ = {"modbus",
             fmt::format("{}:{} unit {} ({})", spec_.host, spec_.port, spec_.unit, spec_.name)};
}

ModbusConnector::~ModbusConnector() {
  Stop();
}

Status ModbusConnector::Session(bool* progressed) {
  Context c;
  c.ctx = modbus_new_tcp(spec_.host.c_str(), spec_.port);
  if (c.ctx == nullptr) return InvalidArgument("modbus: bad address {}:{}", spec_.host, spec_.port);
  modbus_set_slave(c.ctx, spec_.unit);
  const auto ms = spec_.timeout.count();
  modbus_set_response_timeout(c.ctx, static_cast<uint32_t>(ms / 1000),
                              static_cast<uint32_t>(ms % 1000 * 1000));
  if (modbus_connect(c.ctx) != 0) return Unavailable("connect: {}", ModbusError());
  const int64_t before = polls_.load();
  Status ended = Poll(c.ctx);
  *progressed = polls_.load() > before;
  return ended;
}

Status ModbusConnector::FailedPoll(int error, std::string_view reading) {
  std::string why;
  if (error == ETIMEDOUT) {
    why = fmt::format("no answer from unit {} within {} ms ({})", spec_.unit, spec_.timeout.count(),
                      reading);
  } else if (IsGatewayException(error)) {
    why = fmt::format("no answer from unit {}: the gateway says {} ({})", spec_.unit,
                      modbus_strerror(error), reading);
  } else if (error == EMBBADSLAVE) {
    why = fmt::format("the answer was not from unit {} ({})", spec_.unit, reading);
  } else {
    why = fmt::format("{}: {}", reading, modbus_strerror(error));
  }
  Count([](ConnectorStatus& st) {
    ++st.errors;
    ++st.failed_polls;
  });
  return Unavailable("{}", why);
}

Status ModbusConnector::Poll(void* raw) {
  auto* ctx = static_cast<modbus_t*>(raw);
  std::vector<uint16_t> words(2000);
  std::vector<uint8_t> bits(2000);
  std::vector<uint16_t> value_words;
  SampleBatch batch;
  auto next = std::chrono::steady_clock::now();
  // `count` registers or bits from `address` into words or bits; the count read, or -1.
  auto read = [&](ModbusFunction function, int address, int count) {
    switch (function) {
      case ModbusFunction::kHoldingRegister:
        return modbus_read_registers(ctx, address, count, words.data());
      case ModbusFunction::kInputRegister:
        return modbus_read_input_registers(ctx, address, count, words.data());
      case ModbusFunction::kCoil:
        return modbus_read_bits(ctx, address, count, bits.data());
      case ModbusFunction::kDiscreteInput:
        return modbus_read_input_bits(ctx, address, count, bits.data());
    }
    return -1;
  };
  bool answered = false;  // this poll read a register
  int64_t not_finite = 0;
  // Register `m`'s value from what was read starting at `from`.
  auto add = [&](size_t m, int from, TimestampNs at) {
    answered = true;
    const RegisterSpec& r = spec_.registers[m];
    const bool is_bits =
        r.function == ModbusFunction::kCoil || r.function == ModbusFunction::kDiscreteInput;
    const size_t at_word = static_cast<size_t>(r.address - from);
    value_words.assign(static_cast<size_t>(r.words()), 0);
    for (size_t k = 0; k < value_words.size(); ++k)
      value_words[k] = is_bits ? bits[at_word + k] : words[at_word + k];
    const double v = DecodeRegister(r, value_words);
    if (!std::isfinite(v)) {
      // A float32 holding NaN or an infinity (a device's "no value"): no point, as line
      // protocol refuses them too; counted in skipped and named.
      ++not_finite;
      const std::string why = fmt::format("register '{}' at {}: {}, not stored", r.name, r.address,
                                          std::isnan(v) ? "NaN" : "infinite");
      Count([&](ConnectorStatus& st) { st.last_error = why; });
      return;
    }
    batch.Add(spec_.tag_prefix + r.name, at, v);
  };
  while (!stopping()) {
    batch.Clear();
    answered = false;
    not_finite = 0;
    const TimestampNs at = NowNs();
    for (const ReadBlock& b : plan_) {
      if (read(b.function, b.address, b.count) == b.count) {
        for (size_t m : b.members)
          add(m, b.address, at);
        continue;
      }
      if (const int error = errno; !IsModbusException(error)) {  // the connection is renewed
        return FailedPoll(error, fmt::format("reading {} at {}", b.count, b.address));
      }
      // The device answered with an exception (an illegal address, a busy or failed
      // device): the connection is fine. Its registers are read one by one, so that one it
      // refuses (a gap in a block, a register it lacks) does not hide the others; the ones
      // refused are counted as errors and named in the status, and polled again next time.
      for (size_t m : b.members) {
        const RegisterSpec& r = spec_.registers[m];
        if (read(r.function, r.address, r.words()) == r.words()) {
          add(m, r.address, at);
          continue;
        }
        const int error = errno;
        if (!IsModbusException(error)) {
          return FailedPoll(error, fmt::format("reading '{}' at {}", r.name, r.address));
        }
        const std::string why =
            fmt::format("register '{}' at {}: {}", r.name, r.address, modbus_strerror(error));
        Count([&](ConnectorStatus& st) {
          ++st.errors;
          st.last_error = why;
        });
      }
    }
    if (!answered) {
      // Every register refused: the device answers, but a poll that reads nothing has
      // not succeeded (and does not make the connector connected).
      Count([](ConnectorStatus& st) { ++st.failed_polls; });
    } else {
      std::vector<govern::RejectedPoint> failed;
      if (batch.size() > 0) {
        Result<std::vector<govern::RejectedPoint>> written =
            ingest_.Write(source_, "modbus", batch, {});
        if (!written.ok()) {
          Count([](ConnectorStatus& st) { ++st.failed_polls; });
          return written.status().WithContext("storing");
        }
        failed = std::move(*written);
      }
      ++polls_;
      // Connected once a poll succeeded: a unit that does not answer is never reported
      // connected, however readily its TCP port accepts.
      SetState("connected");
      Count([&](ConnectorStatus& st) {
        ++st.messages;
        st.points += static_cast<int64_t>(batch.size() - failed.size());
        st.quarantined += static_cast<int64_t>(failed.size());
        st.skipped += not_finite;
      });
    }
    next += spec_.poll;
    // Sleep until the next poll in slices, to notice Stop(); a late poll starts at once.
    while (!stopping() && std::chrono::steady_clock::now() < next)
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(20), next - std::chrono::steady_clock::now()));
    if (std::chrono::steady_clock::now() > next + spec_.poll)
      next = std::chrono::steady_clock::now();
  }
  return Status::Ok();
}

}  // namespace fh::connect
