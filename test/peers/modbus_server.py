#!/usr/bin/python3
"""An independent Modbus/TCP server for Zoneward's system tests, built on Debian's python3-pymodbus.

Usage: modbus_server.py HOST PORT
Serves 100 holding registers (value = 1000 + address), 100 coils, and device identification
objects (vendor "Zoneward Test Peer", product code "ZTP-1", revision "3.0.0"). Runs until killed.
"""
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartTcpServer


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    store = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [0] * 100),
        co=ModbusSequentialDataBlock(0, [1, 0] * 50),
        hr=ModbusSequentialDataBlock(0, [1000 + i for i in range(100)]),
        ir=ModbusSequentialDataBlock(0, [2000 + i for i in range(100)]),
    )
    identity = ModbusDeviceIdentification(
        info_name={
            "VendorName": "Zoneward Test Peer",
            "ProductCode": "ZTP-1",
            "MajorMinorRevision": "3.0.0",
            "ProductName": "pymodbus test server",
            "ModelName": "ZTP",
        }
    )
    StartTcpServer(context=ModbusServerContext(slaves=store, single=True), identity=identity, address=(host, port))


if __name__ == "__main__":
    main()
