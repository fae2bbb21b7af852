#include "energy/physical_units.h"

#include <algorithm>

namespace greenloop::energy {
namespace {

struct Alias {
  std::string_view spelling;
  std::string_view canonical;
};

// Spellings seen in statistical yearbooks, report forms and XLSX templates.
constexpr Alias kAliases[] = {
    {"吨", "t"},           {"千克", "kg"},          {"公斤", "kg"},          {"万吨", "10^4 t"},
    {"1e4 t", "10^4 t"},   {"10000 t", "10^4 t"},   {"m³", "m3"},            {"立方米", "m3"},
    {"万立方米", "10^4 m3"}, {"10^4 m³", "10^4 m3"}, {"1e4 m3", "10^4 m3"},  {"亿立方米", "10^8 m3"},
    {"10^8 m³", "10^8 m3"}, {"千瓦时", "kWh"},       {"度", "kWh"},          {"万千瓦时", "10^4 kWh"},
    {"1e4 kWh", "10^4 kWh"}, {"亿千瓦时", "10^8 kWh"}, {"1e8 kWh", "10^8 kWh"}, {"兆瓦时", "MWh"},
    {"吉焦", "GJ"},         {"兆焦", "MJ"},          {"百万千焦", "GJ"},      {"吨标准煤", "tce"},
    {"千克标准煤", "kgce"}, {"万吨标准煤", "10^4 tce"}, {"1e4 tce", "10^4 tce"}, {"元", "yuan"},
    {"万元", "10^4 yuan"},  {"1e4 yuan", "10^4 yuan"}, {"亿元", "10^8 yuan"},  {"1e8 yuan", "10^8 yuan"},
};

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kMass: return "mass";
    case Dimension::kVolume: return "volume";
    case Dimension::kElectricity: return "electricity";
    case Dimension::kHeat: return "heat";
    case Dimension::kStandardCoal: return "standard coal";
    case Dimension::kMoney: return "money";
  }
  GL_ASSERT(false);
  return "";
}

std::string_view BaseUnit(Dimension dimension) {
  switch (dimension) {
    case Dimension::kMass: return "t";
    case Dimension::kVolume: return "m3";
    case Dimension::kElectricity: return "kWh";
    case Dimension::kHeat: return "GJ";
    case Dimension::kStandardCoal: return "tce";
    case Dimension::kMoney: return "10^4 yuan";
  }
  GL_ASSERT(false);
  return "";
}

const std::vector<PhysicalUnit>& Units() {
  static const std::vector<PhysicalUnit> units = {
      {"t", Dimension::kMass, 1'000'000},
      {"kg", Dimension::kMass, 1'000},
      {"10^4 t", Dimension::kMass, 10'000'000'000},
      {"m3", Dimension::kVolume, 1'000'000},
      {"10^4 m3", Dimension::kVolume, 10'000'000'000},
      {"10^8 m3", Dimension::kVolume, 100'000'000'000'000},
      {"kWh", Dimension::kElectricity, 1'000'000},
      {"MWh", Dimension::kElectricity, 1'000'000'000},
      {"10^4 kWh", Dimension::kElectricity, 10'000'000'000},
      {"10^8 kWh", Dimension::kElectricity, 100'000'000'000'000},
      {"GJ", Dimension::kHeat, 1'000'000},
      {"MJ", Dimension::kHeat, 1'000},
      {"tce", Dimension::kStandardCoal, 1'000'000},
      {"kgce", Dimension::kStandardCoal, 1'000},
      {"10^4 tce", Dimension::kStandardCoal, 10'000'000'000},
      {"yuan", Dimension::kMoney, 100},
      {"10^4 yuan", Dimension::kMoney, 1'000'000},
      {"10^8 yuan", Dimension::kMoney, 10'000'000'000},
  };
  return units;
}

const PhysicalUnit* FindUnit(std::string_view spelling) {
  for (const Alias& alias : kAliases) {
    if (alias.spelling == spelling) {
      spelling = alias.canonical;
      break;
    }
  }
  const std::vector<PhysicalUnit>& units = Units();
  auto it = std::find_if(units.begin(), units.end(), [&](const PhysicalUnit& u) { return u.code == spelling; });
  return it == units.end() ? nullptr : &*it;
}

std::string UnitsOf(Dimension dimension) {
  std::string out;
  for (const PhysicalUnit& u : Units()) {
    if (u.dimension != dimension) continue;
    if (!out.empty()) out += ", ";
    out += u.code;
  }
  return out;
}

Result<Exact> ToBase(Decimal value, std::string_view unit, Dimension expected, const std::string& field) {
  const PhysicalUnit* found = FindUnit(unit);
  if (found == nullptr) {
    return Status::Invalid("invalid_unit",
                           "'" + std::string(unit) + "' is not a unit GreenLoop reads; " +
                               std::string(DimensionName(expected)) + " is given in " + UnitsOf(expected),
                           field);
  }
  if (found->dimension != expected) {
    return Status::Invalid("invalid_unit",
                           "'" + std::string(unit) + "' measures " + std::string(DimensionName(found->dimension)) +
                               ", but this figure is " + std::string(DimensionName(expected)) + " (" +
                               UnitsOf(expected) + ")",
                           field);
  }
  Exact base = Exact::Of(value);
  if (!base.Multiply(Decimal::FromMicros(found->base_per_unit_micros))) {
    return Status::Invalid("out_of_range", "the figure is too large in " + std::string(unit), field);
  }
  return base;
}

}  // namespace greenloop::energy
